"""Every hostile payload through the ledger's forms (reliability.md §5): the inspection (what was
looked at, what was found, the count) and the village's new grid. Stored as cleaned or refused with a
Chinese message, never a 500; the ledger and the village page then carry nothing executable."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.demo import VILLAGES
from accounts.models import Grid
from grids import ledger
from tests.security.hostile_checks import FORM, Tally, assert_safe_html, encode, submit
from tests.security.hostile_payloads import CJK, PAYLOADS, label

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]
WEDNESDAY = datetime.date(2026, 11, 25)


def test_hostile_payloads_through_the_inspection_and_grid_forms(demo, monkeypatch):
    monkeypatch.setattr(ledger, "local_today", lambda: WEDNESDAY)
    tally = Tally()
    grid = Grid.objects.get(region_id=VILLAGES["xianjin"], code="01")
    worker, village = Client(), Client()
    worker.force_login(demo["xianjin_grid1"])
    village.force_login(demo["xianjin_supervisor"])
    inspect = reverse("grids:inspect", args=[grid.pk])
    manage = reverse("grids:village", args=[VILLAGES["xianjin"]])
    base = {"inspected_on": str(WEDNESDAY), "looked_at": "排水沟", "found": "", "disputes_found": "0"}
    for payload in PAYLOADS:
        submit(worker, inspect, base, ("looked_at", "found", "disputes_found"), payload, tally=tally,
               form_name="inspection")  # fmt: skip
        # The village page holds two forms (prefixes g and p): refusals are read off the grid form.
        response = village.post(manage, encode({"do": "grid", "g-parent": grid.pk, "g-name": payload}),
                                content_type=FORM)  # fmt: skip
        assert response.status_code in (200, 302), label(payload)
        if response.status_code == 200:
            messages = [str(m) for m in response.context["grid_form"].errors.get("name", [])]
            assert messages and all(CJK.search(m) for m in messages), (label(payload), messages)
    for client, url in ((worker, reverse("grids:ledger", args=[grid.pk])), (village, manage)):
        html = client.get(url).content.decode()
        for payload in PAYLOADS:
            assert_safe_html(html, url, payload)
