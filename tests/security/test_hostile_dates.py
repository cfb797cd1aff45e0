"""Odd dates in every date field of the forms (reliability.md §5, Dates): 30 February, years 1, 1900
and 9999, far future, full-width digits, other separators, a time at 23:59 Shanghai. Each is
refused with a Chinese message or stored as the day it names; never a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import COUNTY, VILLAGES
from mediation import workflow
from mediation.models import Dispute, DisputeCategory, MediationSession, RiskLevel
from petitions.models import Petition, PetitionCategory
from tests.dispute_helpers import intake_post
from tests.security.hostile_checks import assert_safe_html, field_errors
from tests.security.hostile_payloads import CJK

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]

DATES = [
    "2026-02-30", "2026-02-29", "2028-02-29", "2026-13-01", "2026-00-10", "0000-00-00", "0001-01-01",
    "1900-01-01", "1948-12-31", "9999-12-31", "10000-01-01", "2999-01-01", "-001-01-01", "２０２６－１１－２０",
    "２０２６-１１-２０", "2026/11/20", "20261120", "2026年11月20日", "2026-11-20T23:59", "2026-11-20 00:00",
    "٢٠٢٦-١١-٢٠", "2026-11-20\x00", "2026-1-2", " 2026-11-20 ", "today", "0", "1e9", "",
]  # fmt: skip
DATETIMES = [d + "T23:59" for d in DATES[:14]] + ["0001-01-01T00:00", "9999-12-31T23:59", "2026-11-24T23:59",
                                                 "2026-11-24T24:00", "2026-11-24T23:60", "２０２６-１１-２４Ｔ２３:５９"]  # fmt: skip


def outcome(response, field):
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        return "stored"
    assert_safe_html(response.content.decode(), field)
    errors, general = field_errors(response)
    messages = errors.get(field, []) + general
    assert messages and all(CJK.search(m) for m in messages), (field, errors, general)
    return "refused"


def test_odd_dates_in_every_date_field(client, demo, request):
    mediator, clerk = demo["xianjin_mediator"], demo["zhuji_petition_clerk"]
    counts = {"stored": 0, "refused": 0}
    today = timezone.localdate()
    for i, value in enumerate(DATES):
        client.force_login(clerk)
        response = client.post(reverse("petitions:create"), {
            "channel": "letter", "petition_kind": "claim", "region": COUNTY, "received_on": value,
            "category": PetitionCategory.objects.get(code="wage_arrears").pk, "summary": "欠薪",
            "content": "内容", "head_count": "1", "name": "陈建国", "phone": f"137{i:08d}", "repeat_choice": "new",
        })  # fmt: skip
        result = outcome(response, "received_on")
        counts[result] += 1
        if result == "stored":
            received = Petition.objects.latest("pk").received_on
            assert datetime.date(1980, 1, 1) <= received <= today, (value, received)

        client.force_login(mediator)
        d = Dispute.objects.get(pk=_dispute(client, i))
        workflow.accept(d.pk, mediator)
        workflow.start_mediation(d.pk, mediator)
        response = client.post(reverse("disputes:action", args=[d.pk, "record_session"]), {
            "held_at": DATETIMES[i % len(DATETIMES)], "place": "室", "attendees": "双方", "record": "笔录",
            "outcome": "continue"})  # fmt: skip
        counts[outcome(response, "held_at")] += 1
        if not d.sessions.exists():
            d.sessions.create(held_at=timezone.now(), place="室", attendees="双方", record="笔录",
                              outcome="continue", created_by=mediator)  # fmt: skip
        for action, data, field in [
            (
                "agree",
                {"form": "written", "terms": "赔偿", "effective_date": value, "performance_due": value},
                None,
            ),
            ("follow_up", {"date": value, "method": "visit", "satisfaction": "satisfied"}, "date"),
        ]:
            response = client.post(reverse("disputes:action", args=[d.pk, action]), data)
            result = outcome(response, field or "effective_date") if response.status_code == 200 else "stored"
            counts[result] += 1
            if action == "agree" and result == "refused":
                data.update(
                    effective_date=(today - datetime.timedelta(days=1)).isoformat(), performance_due=""
                )
                assert client.post(reverse("disputes:action", args=[d.pk, action]), data).status_code == 302
        listing = client.get(reverse("disputes:list"), {"date_from": value, "date_to": value})
        assert listing.status_code == 200
        stats = client.get(reverse("reporting:table", args=["mediation"]), {"start": value, "end": value})
        assert stats.status_code in (200, 403)
        client.force_login(demo["xianjin_supervisor"])
        response = client.post(reverse("supervision:issue", args=[d.pk]), {
            "target_unit": mediator.unit_id, "required_action": "限期化解", "target_date": value})  # fmt: skip
        counts[outcome(response, "target_date")] += 1
    request.config.pluginmanager.get_plugin("terminalreporter").write_line(
        f"hostile dates: {len(DATES)} values x 6 date fields: stored {counts['stored']}, refused "
        f"with a Chinese message {counts['refused']}, HTTP 500: 0"
    )


def _dispute(client, i):
    response = client.post(reverse("disputes:create"), intake_post({
        "region": VILLAGES["xianjin"], "summary": "纠纷", "source": "walk_in",
        "category": DisputeCategory.objects.get(code="neighbour").pk,
        "risk_level": RiskLevel.objects.get(code="yellow").pk, "facts": "事实", "people_involved": "2",
        "applicant_name": "张三明", "applicant_phone": f"138{i:08d}", "respondent_name": "李四",
        "respondent_phone": f"139{i:08d}",
    }))  # fmt: skip
    assert response.status_code == 302
    return int(response["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_session_at_2359_shanghai_keeps_its_day(client, demo):
    mediator = demo["xianjin_mediator"]
    client.force_login(mediator)
    d = _dispute(client, 99)
    workflow.accept(d, mediator)
    workflow.start_mediation(d, mediator)
    day = timezone.localdate() - datetime.timedelta(days=1)
    # Registered the day before, so a session that day is not before the registration (mediation.dates).
    Dispute.objects.filter(pk=d).update(opened_at=timezone.now() - datetime.timedelta(days=2))
    response = client.post(reverse("disputes:action", args=[d, "record_session"]), {
        "held_at": f"{day}T23:59", "place": "室", "attendees": "双方", "record": "笔录", "outcome": "continue"})  # fmt: skip
    assert response.status_code == 302
    held = MediationSession.objects.get(dispute_id=d).held_at
    assert held.utcoffset() == datetime.timedelta(0) and (held.hour, held.minute) == (15, 59)  # UTC+8
    assert timezone.localtime(held).date() == day
    page = client.get(reverse("disputes:detail", args=[d])).content.decode()
    assert f"{day.year}年{day.month}月{day.day}日" in page
