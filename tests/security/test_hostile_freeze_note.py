"""Every hostile payload as the note of a statistics freeze (one past day per payload), by real POSTs:
stored or refused with a Chinese message, never a 500; the statistics page shows the note as text
and its xlsx has no formula cell."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import COUNTY
from reporting.models import StatisticsSnapshot
from tests.security.hostile_checks import FORM, Tally, assert_no_formula, assert_safe_html, encode
from tests.security.hostile_payloads import CJK, PAYLOADS, label

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]


def test_every_payload_as_a_freeze_note(client, demo, request):
    client.force_login(demo["zhuji_statistician"])
    tally = Tally()
    first = timezone.localdate() - datetime.timedelta(days=len(PAYLOADS) + 10)
    for i, payload in enumerate(PAYLOADS):
        day = (first + datetime.timedelta(days=i)).isoformat()
        query = encode({"region": COUNTY, "start": day, "end": day})
        url = reverse("reporting:freeze", args=["petitions"]) + "?" + query
        response = client.post(url, encode({"note": payload}), content_type=FORM, follow=True)
        assert response.status_code == 200, label(payload)
        snapshot = StatisticsSnapshot.objects.filter(start=day).first()
        errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        if snapshot is None:
            assert errors and all(CJK.search(e) for e in errors), (label(payload), errors)
            tally.add("statistics freeze", "note", payload, "refused")
        else:
            assert snapshot.note == payload.expected, label(payload)
            tally.add("statistics freeze", "note", payload, "stored")
        assert_safe_html(response.content.decode(), "statistics page", payload)
        tally.rendered("statistics page")
    export = client.get(reverse("reporting:xlsx", args=["petitions"]) + "?" + query)
    cells, _texts = assert_no_formula(export.content, "statistics xlsx")
    tally.rendered("statistics xlsx cells", cells)
    assert tally.write("freeze-note", request)["payloads"] >= 300
