"""Every hostile payload through the forms that came with scheduled sessions and with finding things
(reliability.md §5): the scheduling steps (schedule, move, cancel a session, record the parties were
told), saved filters (the name on save and on rename), the person look-up and the posted list filter
(the payload as the search text), and the region picker's JSON search. Stored as cleaned or refused
with a Chinese message, never a 500; the case page, the session calendar, the saved-filter page and
the home page then carry nothing executable.

One dispute per part takes every payload one after another (a new case per payload would cost an
intake each); the pages that grow with them are rendered once at the end and scanned for each
payload."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import SavedFilter, TimelineEntry
from cases.saved_filters import MAX_PER_USER
from mediation import workflow
from mediation.models import Dispute, ScheduledSession
from tests.dispute_helpers import plain_intake_post
from tests.security.hostile_checks import FORM, Tally, assert_safe_html, encode, submit
from tests.security.hostile_payloads import CJK, PAYLOADS, Payload, label

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]

# The payloads in parts that can run side by side (pytest-xdist); together they send every one.
PARTS = 4


def intake(client) -> Dispute:
    response = client.post(reverse("disputes:create"), encode(plain_intake_post()), content_type=FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Dispute.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def check(outcome: dict, stored: dict, payload: Payload, where: str, fallback: dict | None = None):
    """A stored field holds the payload as the form cleans it (``fallback`` for what an empty
    cleaned value means: the previous place of a moved session)."""
    for field, result in outcome.items():
        if result == "stored":
            want = payload.expected or (fallback or {}).get(field, "")
            assert stored[field] == want, f"{where}.{field}: stored {stored[field]!r}, sent {label(payload)}"


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def normalised(payload: Payload) -> str:
    """A saved filter's name as cases.saved_filters.clean_name keeps it (runs of white space: one)."""
    value = payload.wire.decode("utf-8", errors="replace") if payload.wire is not None else payload.text
    return " ".join(value.split())


def scheduling(client, dispute, payload, tally, when):
    """Schedule (place), move (reason, place), record the parties told (the payload as the method,
    a choice), cancel (reason): one session per payload, cancelled at the end (the calendar shows
    cancelled sessions too, with their place)."""
    day, (hour, moved_hour) = when
    action = lambda name: reverse("disputes:action", args=[dispute.pk, name])  # noqa: E731
    before = set(ScheduledSession.objects.filter(dispute=dispute).values_list("pk", flat=True))
    _r, outcome = submit(
        client, action("schedule_session"), {"date": day, "time": hour, "place": "调解室"}, ["place"],
        payload, tally=tally, form_name="schedule_session",
    )  # fmt: skip
    (session,) = ScheduledSession.objects.filter(dispute=dispute).exclude(pk__in=before)
    check(outcome, {"place": session.place}, payload, "schedule_session")

    old_place = session.place
    _r, outcome = submit(
        client, action("reschedule_session"),
        {"scheduled": session.pk, "date": day, "time": moved_hour, "place": "", "reason": "当事人有事"},
        ["reason", "place"], payload, tally=tally, form_name="reschedule_session",
    )  # fmt: skip
    session.refresh_from_db()
    moved = TimelineEntry.objects.filter(case_id=dispute.pk, action="reschedule_session").latest("pk")
    stored = {"place": session.place, "reason": moved.after.get("reason") if moved.after else None}
    check(outcome, stored, payload, "reschedule_session", {"place": old_place})

    # No free text: the payload as the method, a choice the form does not offer, is refused with a
    # Chinese message (posted once: the base values would only record a notice again).
    party = dispute.parties.order_by("pk").first()
    notified = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    body = {"scheduled": session.pk, "parties": party.pk, "method": payload, "notified_at": notified}
    response = client.post(action("notify_parties"), encode(body), content_type=FORM)
    assert response.status_code == 200, (label(payload), response.status_code)
    assert_safe_html(response.content.decode(), "notify_parties (refused)", payload)
    errors = response.context["form"].errors
    assert list(errors) == ["method"] and all(CJK.search(str(m)) for m in errors["method"]), errors
    assert not session.notices.exists()
    tally.add("notify_parties", "method", payload, "refused")

    _r, outcome = submit(
        client, action("cancel_session"), {"scheduled": session.pk, "reason": "调解员生病"}, ["reason"],
        payload, tally=tally, form_name="cancel_session",
    )  # fmt: skip
    session.refresh_from_db()
    assert session.state == "cancelled"
    check(outcome, {"reason": session.cancel_reason}, payload, "cancel_session")


def saved_filter(mediator_client, mediator, supervisor_client, supervisor, i, payload, tally):
    """The mediator saves a filter named by the payload (shown on the home page); the supervisor
    saves one under a plain name and renames it to the payload (each user's names are their own)."""
    body = {"list": "disputes", "query": "status=mediating", "name": payload, "on_home": "1"}
    response = mediator_client.post(reverse("filters:save"), encode(body), content_type=FORM)
    assert response.status_code == 302, (label(payload), response.status_code)
    name = normalised(payload)
    # (PostgreSQL text holds no NUL: such a name cannot be stored, nor looked up.)
    saved = None if "\x00" in name else SavedFilter.objects.filter(user=mediator, name=name).first()
    outcome = "stored" if saved is not None and name else "refused"
    if outcome == "refused":
        assert any(CJK.search(m) for m in flashed(response)), (label(payload), flashed(response))
    tally.add("saved filter: save", "name", payload, outcome)

    plain = SavedFilter.objects.create(user=supervisor, list_name="disputes", query="", name=f"筛选{i}")
    url = reverse("filters:change", args=[plain.pk])
    response = supervisor_client.post(url, encode({"action": "rename", "name": payload}), content_type=FORM)
    assert response.status_code == 302, (label(payload), response.status_code)
    plain.refresh_from_db()
    messages = flashed(response)
    if plain.name == f"筛选{i}" and normalised(payload) != plain.name:
        assert any(CJK.search(m) for m in messages), (label(payload), messages)
        tally.add("saved filter: rename", "name", payload, "refused")
    else:
        assert plain.name == normalised(payload), (label(payload), plain.name)
        tally.add("saved filter: rename", "name", payload, "stored")


def render_filters(clients: dict, batch, tally):
    """The saved-filter page and the home page of both users, scanned for every payload of the
    batch; then the filters go (a user keeps at most MAX_PER_USER)."""
    for who, (client, _user) in clients.items():
        for name, url in (("saved filters", reverse("filters:list")), ("home page", reverse("home"))):
            page = client.get(url)
            assert page.status_code == 200, (who, name, page.status_code)
            html = page.content.decode()
            assert_safe_html(html, f"{name} ({who})")
            for payload in batch:
                assert_safe_html(html, f"{name} ({who})", payload)
            tally.rendered(name)
    SavedFilter.objects.filter(user__in=[user for _client, user in clients.values()]).delete()


def person_lookup(client, payload, tally):
    response = client.post(reverse("people:lookup"), encode({"number": payload}), content_type=FORM)
    assert response.status_code == 200, (label(payload), response.status_code)
    assert_safe_html(response.content.decode(), "person look-up", payload)
    errors = response.context["form"].errors
    for messages in errors.values():
        for message in messages:
            assert CJK.search(str(message)), (label(payload), message)
    tally.add("person look-up", "number", payload, "refused" if errors else "stored")


def list_filter(client, list_name, payload, tally):
    """The list's filter form is posted and answered with a redirect to the list with the filter
    as its query; that page shows the search text as text. (The dispute list only: the petition
    list is the same cases.lists.list_page, and test_hostile_petitions searches it by its address.)"""
    url = reverse(f"{list_name}:list")
    response = client.post(url, encode({"q": payload}), content_type=FORM)
    assert response.status_code in (200, 302), (label(payload), response.status_code)
    if response.status_code == 200:  # refused (too long for an address, a NUL …): said in Chinese
        assert_safe_html(response.content.decode(), f"{list_name} list search (refused)", payload)
        errors = response.context["form"].errors
        assert errors and all(CJK.search(str(m)) for ms in errors.values() for m in ms), errors
        tally.add(f"{list_name} list filter (POST)", "q", payload, "refused")
        return
    assert response["Location"].startswith(url)
    page = client.get(response["Location"])
    assert page.status_code == 200, (label(payload), page.status_code)
    assert_safe_html(page.content.decode(), f"{list_name} list search", payload)
    tally.add(f"{list_name} list filter (POST)", "q", payload, "stored")


def region_search(client, payload, tally):
    response = client.get(reverse("regions:search") + "?" + encode({"q": payload, "level": "3"}))
    assert response.status_code == 200, (label(payload), response.status_code)
    assert response["Content-Type"].startswith("application/json")
    results = response.json()["results"]
    assert isinstance(results, list)
    tally.add("region search.json", "q", payload, "stored")


@pytest.mark.parametrize("part", range(PARTS))
def test_every_payload_through_the_new_forms(client, demo, request, part):
    mediator, supervisor = demo["xianjin_mediator"], demo["xianjin_supervisor"]
    client.force_login(mediator)
    boss = Client()
    boss.force_login(supervisor)
    tally = Tally()

    dispute = intake(client)
    workflow.accept(dispute.pk, mediator)
    workflow.start_mediation(dispute.pk, mediator)
    # Sessions a few days ahead, in the week the calendar is asked for below.
    day = timezone.localdate() + datetime.timedelta(days=2)
    when = (day.isoformat(), ("10:00", "15:30"))

    payloads = list(PAYLOADS)[part::PARTS]
    batch = []
    for i, payload in enumerate(payloads):
        scheduling(client, dispute, payload, tally, when)
        saved_filter(client, mediator, boss, supervisor, i, payload, tally)
        batch.append(payload)
        if len(batch) == MAX_PER_USER - 1 or i == len(payloads) - 1:
            render_filters({"mediator": (client, mediator), "supervisor": (boss, supervisor)}, batch, tally)
            batch = []
        person_lookup(client, payload, tally)
        list_filter(client, "disputes", payload, tally)
        region_search(client, payload, tally)

    # The pages that carry every stored payload, rendered once and scanned for each.
    pages = {
        "dispute detail": (client, reverse("disputes:detail", args=[dispute.pk])),
        "calendar (mine, week)": (client, reverse("disputes:calendar") + f"?date={day.isoformat()}"),
        "calendar (unit, month)": (
            boss, reverse("disputes:calendar") + f"?who=unit&view=month&date={day.isoformat()}"
        ),
    }  # fmt: skip
    for name, (who, url) in pages.items():
        page = who.get(url)
        assert page.status_code == 200, (name, page.status_code)
        html = page.content.decode()
        assert_safe_html(html, name)
        for payload in payloads:
            assert_safe_html(html, name, payload)
        tally.rendered(name)
    # Every stored place is on the calendar, as text.
    places = set(ScheduledSession.objects.filter(dispute=dispute).values_list("place", flat=True))
    calendar = client.get(pages["calendar (mine, week)"][1])
    assert calendar.context["cal"].count == 0  # every session was cancelled
    shown = {s.place for d in calendar.context["cal"].days for s in d.sessions}
    assert places <= shown

    summary = tally.write(f"new-forms-{part + 1}-of-{PARTS}", request)
    assert summary["payloads"] >= 300 // PARTS
