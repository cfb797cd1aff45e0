"""Machinery of the access matrix's second half (tests/security/test_exits_notices.py): what each
exit delivered to whom, and the search for a case named to someone who may not see it.

An exit delivers (path, user, text): an in-app notification, a digest, an e-mail, an SMS text, a
supervision order (to every member of its target and issuing unit), a rendered notification
centre, a job's result. A text names a case when it holds its number, a party's name, ID number or
phone, or its summary as a word of its own (the world's summaries are prefixes of each other, and
a place's dispute and petition share one).
"""

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core import mail

from accounts.models import User
from accounts.scoping import visible_cases
from cases.models import Case
from supervision.models import Notification, SupervisionOrder

REPORT = Path(__file__).resolve().parents[2] / "var" / "security" / "exits_notices.json"
WORD = re.compile(r"[\s，。、：:；;（）()【】\[\]—\-]+")


class RecordingGateway:
    """Stands where a deployment's SMS gateway would be (settings.SMS_GATEWAY names it)."""

    sent: list = []

    def send(self, recipient, text):
        RecordingGateway.sent.append((recipient, text))


@dataclass
class Secrets:
    """Per case id: strings that name it anywhere, and its summary (matched as a word)."""

    strings: dict = field(default_factory=dict)
    summaries: dict = field(default_factory=dict)

    def add(self, case, strings):
        self.strings[case.pk] = [s for s in strings if s]
        self.summaries[case.pk] = case.summary

    def named(self, text: str, visible=frozenset()) -> set[int]:
        """The cases ``text`` names. A summary shared by several cases (the world's dispute and
        petition of one place) names them only when none of them is in ``visible``: the text may
        be about the one its reader may see."""
        words = set(WORD.split(text))
        found = {pk for pk, strings in self.strings.items() if any(s in text for s in strings)}
        for summary in {self.summaries[pk] for pk in self.summaries} & words:
            sharing = {pk for pk, other in self.summaries.items() if other == summary}
            if not sharing & set(visible):
                found |= sharing
        return found


@dataclass
class Tally:
    """What was checked: per path, the users it reached and the items; and every leak found."""

    users: dict = field(default_factory=dict)  # path -> set of user ids checked
    items: dict = field(default_factory=dict)  # path -> items checked
    named: dict = field(default_factory=dict)  # path -> (user, case) deliveries allowed and made
    leaks: list = field(default_factory=list)

    def figures(self) -> dict:
        return {
            "paths": sorted(self.users),
            "path_user_pairs": sum(len(u) for u in self.users.values()),
            "items": sum(self.items.values()),
            "deliveries_naming_a_case": sum(self.named.values()),
            "per_path": {p: {"users": len(self.users[p]), "items": self.items.get(p, 0)} for p in self.users},
            "leaks": len(self.leaks),
        }


def may_see(users, case_ids) -> dict[int, set[int]]:
    """The oracle: visible_cases for each user now, one query per user (the code under test,
    visible_pairs, answers in bulk; the test asks the rule itself)."""
    return {
        u.pk: set(visible_cases(u, Case.objects.filter(pk__in=case_ids)).values_list("pk", flat=True))
        for u in users
    }


def check(tally: Tally, secrets: Secrets, seen: dict, everyone, path: str, deliveries) -> None:
    """Every (user, text) of ``deliveries`` may name only cases the user may see. Every user of
    ``everyone`` counts as checked on this path, reached or not (not reached is the safest)."""
    tally.users.setdefault(path, set()).update(u.pk for u in everyone)
    for user, text in deliveries:
        tally.items[path] = tally.items.get(path, 0) + 1
        named = secrets.named(text, seen[user.pk])
        tally.named[path] = tally.named.get(path, 0) + len(named & seen[user.pk])
        for pk in sorted(named - seen[user.pk]):
            tally.leaks.append((path, user.username, pk, text[:120]))


def notifications(digest=None):
    """In-app notifications: all, reminder digests only (False) or supervisors' digests (True)."""
    notes = Notification.objects.select_related("user").order_by("pk")
    if digest is not None:
        notes = notes.filter(digest_of__isnull=not digest)
    return [(n.user, f"{n.title}\n{n.body}") for n in notes]


def emails(everyone):
    by_address = {u.email: u for u in everyone if u.email}
    return [(by_address[m.to[0]], f"{m.subject}\n{m.body}") for m in mail.outbox]


def sms(everyone):
    by_phone = {u.phone: u for u in everyone if u.phone}
    return [(by_phone[number], text) for number, text in RecordingGateway.sent]


def orders():
    """The automatic orders (one per escalated deadline) as each active member of their target and
    issuing units reads them on the order pages (``supervision.orders.orders_for``: a member whose
    reach is narrower than the unit's, a grid worker below the village, reads only those about
    cases they may see). The world's own orders are left out: it plants one addressed to an accused
    unit on purpose (the matrix checks that the order pages never show it)."""
    from supervision.orders import orders_for

    automatic = SupervisionOrder.objects.filter(deadline__isnull=False)
    units = set(automatic.values_list("target_unit_id", flat=True)) | set(
        automatic.values_list("issuing_unit_id", flat=True)
    )
    found = []
    for member in User.objects.filter(unit_id__in=units, is_active=True):
        for order in orders_for(member).filter(deadline__isnull=False).select_related("case"):
            found.append((member, f"{order.case.number} {order.required_action}"))
    return found


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)


def write_report(tally: Tally, extra: dict) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(tally.figures() | extra, ensure_ascii=False, indent=1))
