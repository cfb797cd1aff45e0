"""Reminders of 包案 time limits and key-person review dates (issue 18: the leader "gets the
reminders"), through supervision's machinery: in-app ``Notification`` rows queued for e-mail and SMS
(supervision.notify.queue_outside), delivered by its outbox within working hours
(supervision.reminders.may_send_now). Beat runs ``analysis.tasks.remind_duties`` hourly;
``manage.py remind_duties`` runs the same.

Stages, decided for each open 包案 and each active key person whose date falls within
``DUTY_REMIND_DAYS`` (default 3) days:

- a 包案's time limit approaching (``due``) -> the leader and the working staff;
- passed (``overdue``) -> the same, and the supervisors of the 包案's unit;
- a key person's review date approaching (``review_due``) -> the responsible person;
- passed (``review_overdue``) -> the same, and the supervisors of the responsible unit.

Each stage is reminded once per date (a ``DutyReminder`` row, unique per subject, stage and date; the
subject rows are locked SKIP LOCKED, so two runs at once remind once); a review that moves the date
re-arms the stages for the new one. A run sends one notice per recipient listing their items. Every
recipient is checked against the one rule for what the notice names (visible_responsibilities,
visible_key_persons, and visible_cases for a 包案 of a case): a user who may no longer see it is not
told. The notice names its cases (``case_ids``), so the outbox checks them again when it sends.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.scoping import visible_key_persons, visible_responsibilities
from accounts.scoping_pairs import visible_pairs
from analysis.duty_models import (
    DutyReminder,
    DutyReminderStage,
    KeyPerson,
    KeyPersonStatus,
    Responsibility,
    ResponsibilityStatus,
)
from supervision import notify
from supervision.models import Notification, NotificationKind
from supervision.reminders import may_send_now

St = DutyReminderStage


def remind_days() -> int:
    return getattr(settings, "DUTY_REMIND_DAYS", 3)


def _date(d: datetime.date) -> str:
    return formats.date_format(d, "DATE_FORMAT")


def _supervisors(unit_ids) -> dict[int, list]:
    found = defaultdict(list)
    for user in User.objects.filter(unit_id__in=set(unit_ids), is_active=True, groups__name=roles.SUPERVISOR):
        found[user.unit_id].append(user)
    return found


def _describe(stage, subject: str, day: datetime.date, today: datetime.date) -> str:
    facts = {"subject": subject, "date": _date(day), "days": abs((day - today).days)}
    if stage == St.DUE:
        return _("包案 %(subject)s: time limit %(date)s (in %(days)s days)") % facts
    if stage == St.OVERDUE:
        return _("包案 %(subject)s: time limit %(date)s passed %(days)s days ago") % facts
    if stage == St.REVIEW_DUE:
        return _("Key person %(subject)s: review due %(date)s (in %(days)s days)") % facts
    return _("Key person %(subject)s: review due %(date)s, %(days)s days late") % facts


def remind(now: datetime.datetime | None = None, *, force_outbox: bool = False) -> int:
    """Decide and write the reminders due now; returns the notifications written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    until = today + datetime.timedelta(days=remind_days())
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        responsibilities = list(
            Responsibility.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=ResponsibilityStatus.OPEN, due_on__lte=until)
            .select_related("case", "key_person", "leader")
            .prefetch_related("staff")
            .order_by("due_on", "pk")
        )
        key_persons = list(
            KeyPerson.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=KeyPersonStatus.ACTIVE, review_on__lte=until)
            .select_related("responsible")
            .order_by("review_on", "pk")
        )
        done = set(
            DutyReminder.objects.filter(responsibility__in=responsibilities, due_on__lte=until).values_list(
                "responsibility_id", "stage", "due_on"
            )
        ) | set(
            DutyReminder.objects.filter(key_person__in=key_persons, due_on__lte=until).values_list(
                "key_person_id", "stage", "due_on"
            )
        )
        late_units = [r.unit_id for r in responsibilities if r.due_on < today] + [
            k.unit_id for k in key_persons if k.review_on < today
        ]
        supervisors = _supervisors(late_units)
        # (recipient, item) where item = (stage, subject row, date, line)
        decided, rows = [], []
        for r in responsibilities:
            stage = St.OVERDUE if r.due_on < today else St.DUE
            if (r.pk, stage, r.due_on) in done:
                continue
            told = [r.leader, *r.staff.all()]
            if stage == St.OVERDUE:
                told += supervisors.get(r.unit_id, [])
            rows.append(DutyReminder(responsibility=r, stage=stage, due_on=r.due_on))
            decided.append((rows[-1], r, told, _describe(stage, r.subject, r.due_on, today)))
        for k in key_persons:
            stage = St.REVIEW_OVERDUE if k.review_on < today else St.REVIEW_DUE
            if (k.pk, stage, k.review_on) in done:
                continue
            told = [k.responsible]
            if stage == St.REVIEW_OVERDUE:
                told += supervisors.get(k.unit_id, [])
            rows.append(DutyReminder(key_person=k, stage=stage, due_on=k.review_on))
            decided.append((rows[-1], k, told, _describe(stage, k.name, k.review_on, today)))
        if not decided:
            return 0
        per_user = _addressed(decided)
        told_count = defaultdict(int)
        for _user, items in per_user.values():
            for row, _subject, _text in items:
                told_count[id(row)] += 1
        for row in rows:
            row.told = told_count[id(row)]
        DutyReminder.objects.bulk_create(rows)
        notes = [_notice(user, [i[1:] for i in items]) for user, items in per_user.values()]
        Notification.objects.bulk_create(notes)
    if force_outbox or may_send_now(now):
        notify.deliver_outbox()
    return len(notes)


def _addressed(decided) -> dict[int, tuple]:
    """User id -> (user, [(row, subject, line)]) for the recipients allowed to see what they are told."""
    wanted = defaultdict(list)
    users = {}
    for row, subject, told, line in decided:
        for user in told:
            if user is not None and user.is_active:
                users[user.pk] = user
                wanted[user.pk].append((row, subject, line))
    allowed = set()
    case_pairs = []
    for pk, items in wanted.items():
        user = users[pk]
        resp = [s.pk for _r, s, _l in items if isinstance(s, Responsibility)]
        kps = [s.pk for _r, s, _l in items if isinstance(s, KeyPerson)]
        if resp:
            seen = visible_responsibilities(user, Responsibility.objects.filter(pk__in=resp))
            allowed |= {("r", pk, r) for r in seen.values_list("pk", flat=True)}
        if kps:
            seen = visible_key_persons(user, KeyPerson.objects.filter(pk__in=kps))
            allowed |= {("k", pk, k) for k in seen.values_list("pk", flat=True)}
        case_pairs += [
            (user, s.case_id) for _r, s, _l in items if isinstance(s, Responsibility) and s.case_id
        ]
    cases_seen = visible_pairs(case_pairs) if case_pairs else set()
    per_user = {}
    for pk, items in wanted.items():
        kept = []
        for row, subject, line in items:
            if isinstance(subject, Responsibility):
                ok = ("r", pk, subject.pk) in allowed and (
                    not subject.case_id or (pk, subject.case_id) in cases_seen
                )
            else:
                ok = ("k", pk, subject.pk) in allowed
            if ok:
                kept.append((row, subject, line))
        if kept:
            per_user[pk] = (users[pk], kept)
    return per_user


def _notice(user, items) -> Notification:
    subjects = [s for s, _l in items]
    if len(subjects) == 1:
        s = subjects[0]
        link = (
            reverse("analysis:baoan", args=[s.pk])
            if isinstance(s, Responsibility)
            else reverse("analysis:key_person", args=[s.pk])
        )
    else:
        link = reverse("analysis:baoan_list")
    case_ids = sorted({s.case_id for s in subjects if isinstance(s, Responsibility) and s.case_id})
    note = Notification(
        user=user,
        title=_("包案 and key-person reminders: %(count)d") % {"count": len(items)},
        body="\n".join(line for _s, line in items),
        kind=NotificationKind.REMINDER,
        action="baoan",
        link=link,
        case_ids=case_ids,
        case_id=case_ids[0] if len(case_ids) == 1 else None,
    )
    return notify.queue_outside(note)
