"""Writing checked rows: numbers, parties, timeline, deadlines, all inside the caller's transaction.

Cases are saved one by one (a case type extends ``Case`` by multi-table inheritance, which
``bulk_create`` cannot write); party links and timeline entries are collected and written in
batches. A person who appears on many rows is looked up once (cases.people, same rules as intake).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import deadlines
from ..calendar import WorkCalendar
from ..models import CaseParty, TimelineEntry
from ..numbering import NumberBook
from ..people import find_or_create_person, id_digest

BATCH = 1000


def start_of(day: datetime.date) -> datetime.datetime:
    """A date from the old records as a time: 09:00 Asia/Shanghai, inside that day whatever the
    reader's time zone offset."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


class Writer:
    def __init__(self, user, source_name: str):
        self.user, self.source_name = user, source_name
        self.book = NumberBook()
        self.calendar = WorkCalendar()
        self._people: dict[tuple, object] = {}
        self._links: list[CaseParty] = []
        self._entries: list[TimelineEntry] = []
        self.created = 0

    def person(self, values: dict):
        if values.get("credit_code"):
            key = ("org", values["credit_code"])
        elif values.get("id_number"):
            key = ("id", id_digest(values["id_number"]))
        elif values.get("phone"):
            key = ("name", values["name"], values["phone"])
        else:
            key = None  # a name alone identifies nobody: each row gets its own record
        if key is not None and key in self._people:
            return self._people[key]
        person, _created = find_or_create_person(**values)
        if key is not None:
            self._people[key] = person
        return person

    def keep_numbers(self, cases) -> None:
        for case in cases:
            if case.number:
                self.book.keep(case)

    def save(self, case, parties, row: int, *, deadline: tuple[str, datetime.date] | None = None):
        """Store one case with its parties, one timeline entry naming the importer, and its first
        deadline when it is still open."""
        if not case.number:
            self.book.allocate(case)
        case.handling_unit_id = self.user.unit_id
        case.save()
        for position, (person, role) in enumerate(parties):
            self._links.append(CaseParty(case_id=case.pk, person=person, role=role, position=position))
        self._entries.append(
            TimelineEntry(
                case_id=case.pk,
                actor=self.user,
                action="import",
                description=_("Imported by %(user)s from %(file)s, row %(row)d")
                % {
                    "user": self.user.display_name or self.user.username,
                    "file": self.source_name,
                    "row": row,
                },
                after={"status": case.status, "file": self.source_name, "row": row},
            )
        )
        if deadline:
            deadlines.open_deadline(case, deadline[0], deadline[1], calendar=self.calendar)
        self.created += 1
        if len(self._entries) >= BATCH:
            self.flush()

    def flush(self):
        CaseParty.objects.bulk_create(self._links)
        TimelineEntry.objects.bulk_create(self._entries)
        self._links, self._entries = [], []

    def finish(self):
        self.flush()
        self.book.save()
