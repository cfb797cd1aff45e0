"""Writing checked rows: numbers, parties, timeline, deadlines, all inside the caller's transaction.

Everything is written in batches of ``IMPORT_WRITE_BATCH`` rows (a setting, 1,000): the cases (a
case type extends ``Case`` by multi-table inheritance, which ``bulk_create`` cannot write, so the
``Case`` rows go first and the case type's own rows follow with their ids), their first deadlines
(each new case's ``next_due_at`` set before it is written, not updated after), new people, party
links, timeline entries and the rows a case type adds (a petition's visit). One statement per table
and batch instead of five per case is what makes an import of 10,000 cases fit its time at province
scale (issue 22).

Each party link carries the details the file gives for that row (cases.people: what a party said
on a case belongs to that case). The register identities are found by the rules
of intake: the file's ID numbers, credit codes and name + phone pairs are looked up in bulk first
(by their keyed digests); a party who matches an earlier identity goes through
``find_or_create_identity``, a new one is created once and reused by every row that names them.
Nothing of a matched identity's other cases reaches the new cases or the import report.
"""

import datetime

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines
from cases.calendar import WorkCalendar
from cases.idcrypt import id_digest
from cases.models import Case, CaseParty, Deadline, Person, TimelineEntry
from cases.numbering import NumberBook
from cases.people import find_or_create_identity, identity_keys, name_phone_digest, party_row

LOOKUP_BATCH = 1000  # digests per IN (...) when looking up known parties


def batch_size() -> int:
    return settings.IMPORT_WRITE_BATCH


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
        self._cases: list[tuple] = []  # (case, parties, row, dependents), written by flush
        self._deadlines: list[Deadline] = []
        self._rules: dict[tuple, object] = {}
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
            for start in range(0, len(wanted), LOOKUP_BATCH):
                found = Person.objects.filter(**{f"{field}__in": wanted[start : start + LOOKUP_BATCH]})
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

    def save(
        self, case, parties, row: int, *, deadline: tuple[str, datetime.date] | None = None, dependents=()
    ):
        """Queue one case with its parties, one timeline entry naming the importer, and its first
        deadline when it is still open; ``dependents``: unsaved rows of other models with a foreign
        key to the case type (a petition's visit), filled in and written after it. Nothing reaches
        the database before ``flush``."""
        if not case.number:
            self.book.allocate(case)
        case.handling_unit_id = self.user.unit_id
        if deadline:
            code, start = deadline
            key = (code, case.region_id)
            if key not in self._rules:
                self._rules[key] = deadlines.rule_for(code, case.region_id)
            due = deadlines.new_deadline(case, code, start, calendar=self.calendar, rule=self._rules[key])
            case.next_due_at = due.due_at  # its only open deadline (cases.deadlines.refresh_next_due)
            self._deadlines.append(due)
        self._cases.append((case, parties, row, dependents))
        self.created += 1
        if len(self._cases) >= batch_size():
            self.flush()

    def flush(self):
        if self._cases:
            insert_cases([case for case, *_rest in self._cases])
        links, entries, dependents = [], [], {}
        for case, parties, row, more in self._cases:
            links += [party_row(case.pk, person, details, role, position)
                      for position, (person, details, role) in enumerate(parties)]  # fmt: skip
            entries.append(self._entry(case, row))
            for obj in more:
                _point_to(obj, case)
                dependents.setdefault(type(obj), []).append(obj)
        Person.objects.bulk_create(self._new_people)  # before the links that point to them
        CaseParty.objects.bulk_create(links)
        TimelineEntry.objects.bulk_create(entries)
        Deadline.objects.bulk_create(self._deadlines)  # each names its case, written above
        for model, objs in dependents.items():
            model.objects.bulk_create(objs)
        self._new_people, self._cases, self._deadlines = [], [], []

    def _entry(self, case, row: int) -> TimelineEntry:
        return TimelineEntry(
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

    def finish(self):
        self.flush()
        self.book.save()


def insert_cases(cases: list) -> None:
    """Write unsaved cases of one case type: their ``Case`` rows in bulk (the ids come back), then the
    case type's own rows with those ids, as ``Model.save`` does for one (``_save_parents``, then
    ``_insert``; the manager's ``_insert`` is the call Django's own save makes). No signal is sent,
    as with any ``bulk_create``: no receiver listens to a case's save."""
    model = type(cases[0])
    parent_fields = Case._meta.concrete_fields
    parents = [Case(**{f.attname: getattr(case, f.attname) for f in parent_fields}) for case in cases]
    Case._base_manager.bulk_create(parents, batch_size=batch_size())
    link = model._meta.pk.attname  # case_ptr_id
    for case, parent in zip(cases, parents, strict=True):
        for f in parent_fields:  # the ids and whatever the insert filled (auto_now_add)
            setattr(case, f.attname, getattr(parent, f.attname))
        setattr(case, link, parent.pk)
        case._state.adding, case._state.db = False, parent._state.db
    own = model._meta.local_concrete_fields
    db = parents[0]._state.db
    size = connections[db].ops.bulk_batch_size(own, cases) or len(cases)
    for start in range(0, len(cases), size):
        model._base_manager._insert(cases[start : start + size], fields=own, using=db)


def _point_to(obj, case) -> None:
    """Fill the foreign key of a row a case type adds (``dependents`` of ``Writer.save``)."""
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.many_to_one and issubclass(type(case), field.related_model):
            setattr(obj, field.name, case)
            return
    raise ValueError(f"{type(obj).__name__} has no foreign key to {type(case).__name__}")
