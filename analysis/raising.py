"""Raising warnings: a scan's findings stored once per open pattern, each told to the unit that must
act, in one transaction (analysis.workflow declares the steps that follow).

A scan raises its findings together (``raise_warnings``): one read of the patterns already warned
about, the places and their responsible units in two queries, the warnings, their evidence, their
events, their notices and the cases' own timeline entries each in one INSERT. A province day raised
~870 warnings, at ~10 statements each when they were stored one at a time (docs/performance.md).
Scans take turns on the watermark lock (analysis.scan), so no other scan stores the same pattern
meanwhile; should anything else have (the open-pattern constraint refuses the batch), the findings
are raised one at a time instead.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PREFIX_LENGTH, Region, Unit, UnitKind
from analysis.models import EarlyWarning, WarningEvent, WarningStatus
from analysis.notices import notices_of, unit_members
from cases.models import TimelineEntry
from supervision.models import Notification

S = WarningStatus
EVIDENCE_CAP = 200
OPEN = [S.RAISED, S.SIGNED, S.HANDLED]


def _centre_codes(region: Region, level: int) -> list[str]:
    """The places whose governance centre answers for ``region`` at ``level``, nearest first."""
    levels = sorted((lv for lv in PREFIX_LENGTH if lv <= min(level, region.level)), reverse=True)
    return list(dict.fromkeys(region.code[: PREFIX_LENGTH[lv]].ljust(12, "0") for lv in levels))


def responsible_units(pairs) -> dict[tuple[str, int], Unit | None]:
    """(region, level) -> the governance centre of the region's place at ``level`` (3 county, 4
    town, 5 village), else the nearest one above it; a place above that level answers itself. One
    query for all the pairs."""
    chains = {(region.code, level): _centre_codes(region, level) for region, level in pairs}
    wanted = {c for chain in chains.values() for c in chain}
    centres = {}
    for unit in Unit.objects.filter(
        region_id__in=sorted(wanted), kind=UnitKind.GOVERNANCE_CENTRE, is_active=True
    ).order_by("pk"):
        centres.setdefault(unit.region_id, unit)
    return {key: next((centres[c] for c in chain if c in centres), None) for key, chain in chains.items()}


def responsible_unit(region: Region, level: int) -> Unit | None:
    return responsible_units([(region, level)])[(region.code, level)]


def _new(findings) -> list:
    """The findings to store: the first of each pattern, unless the pattern has an open warning or a
    closed one that already saw the finding's newest case."""
    keys = {f.key for f in findings}
    known: dict[str, list] = {}
    for key, status, until in EarlyWarning.objects.filter(pattern_key__in=sorted(keys)).values_list(
        "pattern_key", "status", "evidence_until"
    ):
        known.setdefault(key, []).append((status, until))
    fresh, taken = [], set()
    for f in findings:
        if f.key in taken or any(s in OPEN or u >= f.evidence_until for s, u in known.get(f.key, ())):
            continue
        taken.add(f.key)
        fresh.append(f)
    return fresh


def _store(findings, now) -> list[EarlyWarning]:
    regions = Region.objects.in_bulk(sorted({f.region_code for f in findings}))
    units = responsible_units({(regions[f.region_code], f.level) for f in findings})
    warnings = EarlyWarning.objects.bulk_create(
        EarlyWarning(
            rule=f.rule,
            kind=f.rule.kind,
            pattern_key=f.key,
            title=f.title[:200],
            summary=f.summary,
            facts=f.facts,
            region=regions[f.region_code],
            unit=units[(f.region_code, f.level)],
            evidence_until=f.evidence_until,
            raised_at=now,
        )  # fmt: skip
        for f in findings
    )
    through = EarlyWarning.evidence.through
    through.objects.bulk_create(
        through(earlywarning_id=w.pk, case_id=case_id)
        for w, f in zip(warnings, findings, strict=True)
        for case_id in sorted(f.case_ids)[:EVIDENCE_CAP]
    )
    WarningEvent.objects.bulk_create(
        WarningEvent(
            warning=w,
            action="raise",
            description=w.title,
            after={"status": w.status, "unit": str(w.unit or ""), "rule": f.rule.code},
        )  # fmt: skip
        for w, f in zip(warnings, findings, strict=True)
    )
    # The case's own audit trail says that it raised a warning and where it went: one INSERT (the
    # chain trigger numbers each case's entries), not one per case (~590 on a province day). No
    # receiver of an entry's save is missed: webhooks (hooks.events) look for new cases, status
    # changes and deliveries, never for this action.
    TimelineEntry.objects.bulk_create(
        TimelineEntry(case_id=case.pk, action="warning_raised", description=w.title,
                      after={"unit": str(w.unit or "")})
        for w, f in zip(warnings, findings, strict=True)
        for case in f.timeline_cases
    )  # fmt: skip
    members = _members(
        {(w.unit, tuple(sorted(f.rule.notify_roles or ()))) for w, f in zip(warnings, findings, strict=True)}
    )
    Notification.objects.bulk_create(
        note
        for w, f in zip(warnings, findings, strict=True)
        for note in notices_of(
            w, None, title=_("Early warning"), units=[w.unit], roles=f.rule.notify_roles, members=members
        )
    )
    return warnings


def _members(pairs) -> dict:
    """(unit ids, roles) -> the unit's active members (of those roles when named), as
    analysis.notices.notices_of keys them: one query per set of roles, not one per unit."""
    by_roles: dict[tuple, set] = {}
    for unit, roles in pairs:
        if unit is not None:
            by_roles.setdefault(roles, set()).add(unit.pk)
    found: dict = {}
    for roles, unit_ids in by_roles.items():
        query = unit_members(sorted(unit_ids), roles)
        for unit_id in unit_ids:
            found[((unit_id,), roles)] = []
        for user in query.order_by("pk"):
            found[((user.unit_id,), roles)].append(user)
    return found


def raise_warnings(findings, *, now=None) -> list[EarlyWarning]:
    """Store the ``findings`` (analysis.findings.Finding) that are new as warnings and tell their
    responsible units, in one transaction; returns the warnings raised."""
    now = now or timezone.now()
    fresh = _new(list(findings))
    if not fresh:
        return []
    try:
        with transaction.atomic():
            return _store(fresh, now)
    except IntegrityError:  # a pattern stored meanwhile by something else: one at a time
        return [w for f in fresh if (w := raise_warning(f, now=now)) is not None]


def raise_warning(finding, *, now=None) -> EarlyWarning | None:
    """One finding as ``raise_warnings`` stores it; None when its pattern is already warned about
    (or another transaction stored it first)."""
    now = now or timezone.now()
    if not _new([finding]):
        return None
    try:
        with transaction.atomic():
            return _store([finding], now)[0]
    except IntegrityError:
        return None
