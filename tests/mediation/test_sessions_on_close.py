"""Sessions still arranged when mediation ends (mediation.scheduling.cancel_when_closed): every step
that takes a dispute where no session can be held any more cancels them in its own transaction, as
the cancel step cancels one — a timeline entry each with the ending step as the reason, the other
mediators told, the parties told by text message texted — and no reminder goes out the day before;
a held session stays held. The cancel step tells the same people (mediation.session_notices)."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cases.models import TimelineEntry
from mediation import workflow
from mediation.models import DisputeStatus, ScheduledSession, ScheduledState
from mediation.scheduling import SCHEDULABLE
from mediation.session_reminders import remind_tomorrow
from supervision.models import Notification, NotificationKind
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db

TEXTS = []


class RecordingSms:
    def send(self, recipient, text):
        TEXTS.append((recipient, text))


def days_ahead(days, hour=9, minute=30):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def mediating(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    return d, m


def two_sessions(demo, d, m):
    """Tomorrow (its reminder would be due) and next week, with a second mediator."""
    other = demo["fengqiao_mediator"]
    return [
        workflow.schedule_session(d.pk, m, starts_at=days_ahead(n), place=place, mediators=[m, other])
        for n, place in ((1, "村调解室"), (7, "镇调解中心"))
    ]


def held_session(d, m):
    s = workflow.schedule_session(d.pk, m, starts_at=days_ahead(1, 8), place="村委会")
    ScheduledSession.objects.filter(pk=s.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    workflow.record_session(d.pk, m, held_at=timezone.now(), place="村委会", attendees="双方",
                            record="笔录", outcome="continue", scheduled=s)  # fmt: skip
    return s


@override_settings(SMS_GATEWAY="tests.mediation.test_sessions_on_close.RecordingSms")
def test_terminating_cancels_both_sessions_with_entries_notices_and_no_reminder(
    demo, client, django_capture_on_commit_callbacks
):
    TEXTS.clear()
    d, m = mediating(demo)
    held = held_session(d, m)
    sessions = two_sessions(demo, d, m)
    applicant = d.parties.get(role="applicant")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.notify_parties(d.pk, m, scheduled=sessions[0], parties=[applicant], method="sms")
    TEXTS.clear()
    with override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        workflow.terminate(d.pk, m, route="litigation", reason="双方分歧较大")

    states = dict(ScheduledSession.objects.filter(dispute=d).values_list("pk", "state"))
    assert states == {held.pk: ScheduledState.HELD, **{s.pk: ScheduledState.CANCELLED for s in sessions}}
    assert {s.cancel_reason for s in ScheduledSession.objects.filter(state="cancelled")} == {
        "案件已结：终止调解"
    }
    # After the ending step's own entry, one per session, the reason and the session on each.
    actions = list(TimelineEntry.objects.filter(case=d).order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["terminate", "cancel_session", "cancel_session"]
    entries = TimelineEntry.objects.filter(case=d, action="cancel_session").order_by("pk")
    assert [e.after["place"] for e in entries] == ["村调解室", "镇调解中心"]
    assert {e.after["reason"] for e in entries} == {"案件已结：终止调解"}
    assert {e.actor_id for e in entries} == {m.pk}

    # The other mediator is told of each (the one who ended it knows), with the parties told.
    notes = Notification.objects.filter(action="cancel_session").order_by("pk")
    assert [n.user.username for n in notes] == ["fengqiao_mediator"] * 2
    assert all(n.kind == NotificationKind.CALENDAR and n.case_id == d.pk for n in notes)
    assert "村调解室" in notes[0].body and "终止调解" in notes[0].body and "张*明（短信）" in notes[0].body
    assert notes[0].link == reverse("disputes:detail", args=[d.pk])
    # The applicant texted of the first session is texted that it is off.
    assert len(TEXTS) == 1 and TEXTS[0][0] == applicant.phone and "取消" in TEXTS[0][1]

    # The day before: nobody is reminded.
    assert remind_tomorrow(timezone.now(), force_outbox=True) == 0
    assert not Notification.objects.exclude(action="cancel_session").filter(kind="calendar").exists()

    # The calendar shows them cancelled, not scheduled.
    client.force_login(m)
    with override("zh-hans"):
        html = client.get(reverse("disputes:calendar"), {"date": days_ahead(1).date().isoformat()}).content
    assert b"cal-scheduled" not in html and b"cal-cancelled" in html


def test_a_held_session_and_a_dispute_still_in_mediation_are_untouched(demo):
    d, m = mediating(demo)
    held = held_session(d, m)
    upcoming = two_sessions(demo, d, m)
    workflow.escalate(d.pk, m, unit=demo["fengqiao_supervisor"].unit, reason="需镇里协调")
    assert ScheduledSession.objects.get(pk=held.pk).state == ScheduledState.HELD
    assert set(
        ScheduledSession.objects.filter(pk__in=[s.pk for s in upcoming]).values_list("state", flat=True)
    ) == {ScheduledState.SCHEDULED}
    assert not TimelineEntry.objects.filter(case=d, action="cancel_session").exists()


def ended_by(demo, step):
    """A dispute with two sessions arranged, ended by ``step``."""
    d, m = mediating(demo)
    if step == "refer":  # referred from ACCEPTED: arranged before mediation began
        d, m = new_dispute(m, summary="移送的纠纷"), m
        workflow.accept(d.pk, m)
    elif step == "agree":  # an agreement needs a session held
        held_session(d, m)
    arranged = two_sessions(demo, d, m)
    take = {
        "refer": lambda: workflow.refer(d.pk, m, "镇司法所"),
        "agree": lambda: workflow.record_agreement(
            d.pk, m, form="written", terms="按约定履行", effective_date=timezone.localdate()
        ),
        "terminate": lambda: workflow.terminate(d.pk, m, route="litigation", reason="调解不成"),
        # 诉前委派调解: the case leaves the village's mediation for the court's (mediation.routes).
        "route": lambda: workflow.TRANSITIONS["route"].execute(
            d.pk,
            m,
            {
                "channel": "court",
                "unit": None,
                "body_name": "诸暨市人民法院",
                "field": "",
                "court_case_number": "（2026）浙0681民诉前调1号",
                "reason": "专业调解",
            },
        ),  # fmt: skip
    }
    take[step]()
    return d, arranged


# Every step of the table that leads from a state where sessions are arranged to one where none can
# be held; a new one fails here until it is added above.
ENDING = sorted(
    s.name
    for s in workflow.TRANSITIONS.values()
    if s.target and s.target not in SCHEDULABLE and s.sources & SCHEDULABLE
)


def test_every_step_that_ends_mediation_is_covered():
    assert ENDING == ["agree", "refer", "route", "terminate"]


@pytest.mark.parametrize("step", ENDING)
def test_each_ending_step_cancels_what_was_arranged(demo, step):
    d, arranged = ended_by(demo, step)
    assert d.__class__.objects.get(pk=d.pk).status not in SCHEDULABLE
    states = ScheduledSession.objects.filter(pk__in=[s.pk for s in arranged]).values_list("state", flat=True)
    assert set(states) == {"cancelled"}
    assert TimelineEntry.objects.filter(case=d, action="cancel_session").count() == 2


def test_a_session_left_from_before_is_cancelled_when_the_file_closes(demo):
    """A session left scheduled on an agreed dispute (before the rule) goes when it is followed up
    or archived, and the day before nobody is reminded of it meanwhile."""
    d, m = mediating(demo)
    held_session(d, m)
    workflow.record_agreement(
        d.pk, m, form="written", terms="按约定履行", effective_date=timezone.localdate()
    )
    leftover = ScheduledSession.objects.create(
        dispute=d, starts_at=days_ahead(1), place="村调解室", created_by=m
    )
    leftover.mediators.set([m])
    assert remind_tomorrow(timezone.now()) == 0
    workflow.record_follow_up(d.pk, m, date=timezone.localdate(), method="phone", satisfaction="satisfied")
    leftover.refresh_from_db()
    assert leftover.state == ScheduledState.CANCELLED
    assert d.__class__.objects.get(pk=d.pk).status == DisputeStatus.FOLLOWED_UP


def test_the_cancel_step_tells_the_other_mediators_the_same_way(demo):
    d, m = mediating(demo)
    first, _second = two_sessions(demo, d, m)
    workflow.cancel_session(d.pk, m, scheduled=first, reason="当事人住院")
    note = Notification.objects.get(action="cancel_session")
    assert note.user == demo["fengqiao_mediator"] and "当事人住院" in note.body
    entry = TimelineEntry.objects.get(case=d, action="cancel_session")
    assert entry.after["reason"] == "当事人住院" and entry.after["place"] == "村调解室"
