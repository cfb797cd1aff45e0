"""Petition pages through the test client: a collective visit forwarded and replied to."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from petitions.models import Petition, PetitionCategory
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


def intake(**extra):
    data = {
        "channel": "visit", "petition_kind": "claim", "category": PetitionCategory.objects.get(code="wage_arrears").pk,
        "region": "330681000000", "received_on": TODAY, "summary": "农民工讨薪", "content": "某工地拖欠6名工人工资。",
        "demands": "支付工资", "head_count": "6", "name": "孙志强", "id_number": "11010519491231002X", "phone": "13600136000",
    }  # fmt: skip
    data.update(extra)
    return data


def post(client, url, data=None):
    response = client.post(url, data or {})
    assert response.status_code == 302, response.content.decode()[-1500:]
    return response


def test_collective_visit_forwarded_replied_and_evaluated(client, demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    client.force_login(clerk)
    post(client, reverse("petitions:create"), intake())
    p = Petition.objects.get()
    assert p.is_collective and p.visits.get().head_count == 6
    # A second petition by the same person: the clerk is shown the earlier one first.
    shown = client.post(reverse("petitions:create"), intake(summary="再次讨薪"))
    assert shown.status_code == 200 and p.number in shown.content.decode()
    post(client, reverse("petitions:create"), intake(summary="再次讨薪", repeat_choice=str(p.pk)))
    assert Petition.objects.get(summary="再次讨薪").repeat_of == p
    post(client, reverse("petitions:action", args=[p.pk, "forward"]), {"unit": handler.unit.pk})
    client.force_login(handler)
    assert client.get(reverse("petitions:detail", args=[p.pk])).status_code == 200
    post(client, reverse("petitions:action", args=[p.pk, "accept"]), {"route": "opinion"})
    post(
        client,
        reverse("petitions:action", args=[p.pk, "reply"]),
        {"outcome": "supported", "text": "责令支付。"},
    )
    client.force_login(clerk)
    post(
        client,
        reverse("petitions:action", args=[p.pk, "evaluate"]),
        {"value": "satisfied", "given_on": TODAY, "way": "电话回访"},
    )
    p.refresh_from_db()
    assert p.status == "replied" and p.evaluations.get().value == "satisfied"
    html = client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
    assert "已答复" in html and "满意" in html


def test_other_town_and_unrelated_department_get_404(client, demo):
    p = new_petition(demo["zhuji_petition_clerk"])
    for user in ("fengqiao_petition_clerk", "zhuji_handler"):
        client.force_login(demo[user])
        assert client.get(reverse("petitions:detail", args=[p.pk])).status_code == 404
        assert (
            client.post(reverse("petitions:action", args=[p.pk, "accept"]), {"route": "opinion"}).status_code
            == 404
        )


def test_intake_errors_in_chinese(client, demo):
    client.force_login(demo["zhuji_petition_clerk"])
    response = client.post(reverse("petitions:create"), intake(channel="upper_referral", phone="12"))
    html = response.content.decode()
    assert response.status_code == 200 and Petition.objects.count() == 0
    assert "手机号码" in html and "转送机关" in html


def test_list_and_detail_queries_constant(client, demo, settings):
    from django.core.cache import cache

    settings.REFERENCE_CACHE_SECONDS = 300  # the filter choices as in production (cases.choices)
    cache.clear()
    clerk = demo["zhuji_petition_clerk"]
    for _ in range(10):
        p = new_petition(clerk)
    client.force_login(clerk)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    def read_all():  # unread notices add the UPDATE that reads the page's hand-off notices
        from supervision.models import Notification

        Notification.objects.update(read_at=timezone.now())

    urls = [reverse("petitions:list"), reverse("petitions:detail", args=[p.pk])]
    count(urls[0])
    read_all()
    # list: session, user, count, page, parties; detail: tests/cases/test_page_queries.py
    assert [count(u) for u in urls] == [5, 12]
    for _ in range(190):
        new_petition(clerk)
    read_all()
    assert [count(u) for u in urls] == [5, 12]
    cache.clear()
