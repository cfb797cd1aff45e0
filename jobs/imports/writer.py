"""Writing checked rows: numbers, parties, timeline, deadlines, all inside the caller's transaction.

Cases are saved one by one (a case type extends ``Case`` by multi-table inheritance, which
``bulk_create`` cannot write); new people, party links and timeline entries are collected and
written in batches. Each party link carries the details the file gives for that row (cases.people:
what a party said on a case belongs to that case). The register identities are found by the rules
of intake: the file's ID numbers, credit codes and name + phone pairs are looked up in bulk first
(by their keyed digests); a party who matches an earlier identity goes through
``find_or_create_identity``, a new one is created once and reused by every row that names them.
Nothing of a matched identity's other cases reaches the new cases or the import report.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines
from cases.calendar import WorkCalendar
from cases.idcrypt import id_digest
from cases.models import CaseParty, Person, TimelineEntry
from cases.numbering import NumberBook
from cases.people import find_or_create_identity, identity_keys, name_phone_digest, party_row

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
        self._known: set[tuple] = set()
        self._new_people: list[Person] = []
        self._links: list[CaseParty] = []
        self._entries: list[TimelineEntry] = []
        self.created = 0

    @staticmethod
    def keys(values: dict) -> list[tuple]:
        """What identifies a party: a credit code; else the ID number and the name + phone pair.
        A name alone identifies nobody, so such a party gets a record of their own."""
        if values.get("credit_code"):
            return [("org", values["credit_code"])]
        keys = []
        if values.get("id_number"):
            keys.append(("id", id_digest(values["id_number"])))
        if digest := name_phone_digest(values.get("name", ""), values.get("phone", "")):
            keys.append(("name", digest))
        return keys

    def look_up(self, parties: list[dict]) -> None:
        """Note which of the file's parties match identities already in the register (a few queries)."""
        keys = {key for values in parties for key in self.keys(values)}
        self._known = set()
        fields = (("org", "credit_code"), ("id", "id_number_digest"), ("name", "name_phone_digest"))
        for kind, field in fields:
            wanted = [k[1] for k in keys if k[0] == kind]
            for start in range(0, len(wanted), BATCH):
                found = Person.objects.filter(**{f"{field}__in": wanted[start : start + BATCH]})
                self._known |= {(kind, v) for v in found.values_list(field, flat=True)}

    def person(self, values: dict):
        """The register identity of a party's details (found, created, or shared with an earlier row)."""
        keys = self.keys(values)
        for key in keys:
            if key in self._people:
                return self._people[key]
        if any(key in self._known for key in keys):
            person, _created = find_or_create_identity(values)
        else:
            person = Person(
                is_organisation=bool(values.get("is_organisation")),
                credit_code=values.get("credit_code", ""),
                **identity_keys(values),
            )
            self._new_people.append(person)
        for key in keys:
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
        for position, (person, details, role) in enumerate(parties):
            self._links.append(party_row(case.pk, person, details, role, position))
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
        Person.objects.bulk_create(self._new_people)  # before the links that point to them
        self._new_people = []
        CaseParty.objects.bulk_create(self._links)
        TimelineEntry.objects.bulk_create(self._entries)
        self._links, self._entries = [], []

    def finish(self):
        self.flush()
        self.book.save()
