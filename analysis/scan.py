"""The incremental warning scan (beat: analysis.tasks.scan_warnings; command: scan_warnings).

It reads only what changed since its last run: the cases created after the watermark (less a small
overlap, for a transaction that committed late with an earlier creation time), and the visits
recorded after it; the risk rule reads the disputes whose response time has run out, and the
overdue-cluster rule the open cases past due (both are about time passing, not change). Every rule is
asked about those, and each finding is stored once per pattern (analysis.raising.raise_warnings:
an open warning for the pattern, or a closed one that already saw its newest case, and nothing is
raised), so a second run, an overlapping one, or a run after a crash raises nothing new. The
watermark row is locked for the whole run: two scans take turns, and a run that fails leaves the
watermark where it was.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from analysis import conversions, overdue, patterns, surge
from analysis.models import RuleKind, ScanWatermark, WarningRule
from analysis.raising import raise_warnings
from cases.models import Case

logger = logging.getLogger(__name__)
WATERMARK = "warnings"
# A case committed a little after a run that began before it was created is read by the next run.
OVERLAP = timedelta(minutes=10)
# A first run (no watermark yet) reads the cases of this many days.
FIRST_RUN = timedelta(days=30)


@dataclass
class ScanResult:
    since: object
    until: object
    changed: int
    raised: list

    def __str__(self):
        period = f"{self.since:%Y-%m-%d %H:%M} .. {self.until:%Y-%m-%d %H:%M}"
        return f"{len(self.raised)} raised from {self.changed} changed cases ({period})"


# What each kind of rule reads: the changed cases, the watermark (visits), or only the time now.
# ``memo`` is the scan's: what several rules of a kind read once (the surge counts of both windows,
# the open and overdue cases per unit).
DETECTORS = {
    RuleKind.SURGE: lambda rule, changed, since, now, memo: surge.find(
        rule, changed, now, memo, rules=memo["rules"][RuleKind.SURGE]
    ),
    RuleKind.REPEAT_PERSON: lambda rule, changed, since, now, memo: patterns.repeat_person(
        rule, changed, now
    ),
    RuleKind.CONVERSION: lambda rule, changed, since, now, memo: patterns.conversion(rule, changed, now),
    RuleKind.RETURNING: lambda rule, changed, since, now, memo: patterns.returning(rule, changed, now),
    RuleKind.COLLECTIVE: lambda rule, changed, since, now, memo: patterns.collective(rule, changed, now),
    RuleKind.LARGE_VISIT: lambda rule, changed, since, now, memo: patterns.large_visit(rule, since, now),
    RuleKind.RISK_RESPONSE: lambda rule, changed, since, now, memo: patterns.risk_response(rule, now),
    RuleKind.OVERDUE_CLUSTER: lambda rule, changed, since, now, memo: overdue.find(rule, now, memo),
    RuleKind.OVERDUE_RATE: lambda rule, changed, since, now, memo: overdue.find_rate(rule, now, memo),
}


def scan(now=None) -> ScanResult:
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        ScanWatermark.objects.get_or_create(name=WATERMARK)
        mark = ScanWatermark.objects.select_for_update().get(name=WATERMARK)
        since = (mark.scanned_until - OVERLAP) if mark.scanned_until else now - FIRST_RUN
        # §30: no pattern is built on a case withheld from a unit (analysis.models).
        changed = Case.objects.filter(
            created_at__gt=since, created_at__lte=now, withheld_from_unit__isnull=True
        )
        # Lasting dispute -> petition links of the new petitions (those a signal did not link already:
        # bulk imports); idempotent.
        conversions.link_petitions(list(changed.filter(kind="petition").values_list("pk", flat=True)))
        raised = []
        rules = list(WarningRule.objects.filter(enabled=True).prefetch_related("risk_levels"))
        memo = {"rules": {kind: [r for r in rules if r.kind == kind] for kind in RuleKind}}
        for rule in rules:
            # Rule by rule: a surge raised by one window's rule explains its place to the next one.
            raised += raise_warnings(DETECTORS[rule.kind](rule, changed, since, now, memo), now=now)
        mark.scanned_until = max(now, mark.scanned_until or now)
        mark.last_run_at, mark.last_raised = timezone.now(), len(raised)
        mark.save()
        result = ScanResult(since, now, changed.count(), raised)
    logger.info("scan_warnings: %s", result)
    return result
