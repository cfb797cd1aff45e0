"""What the warning page shows equals what is allowed, for every state × relation (as
tests/test_step_walk.py does for the case types): a warning the viewer may not see is 404 on its
page and every step; otherwise a step's button is on the page exactly when its page answers 200."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Unit
from analysis import workflow as wf
from tests.analysis.helpers import new_warning

pytestmark = pytest.mark.django_db

VIEWERS = {
    "county centre, supervisor": "zhuji_supervisor",
    "county, statistician": "zhuji_statistician",
    "county department": "zhuji_handler",
    "town centre, supervisor": "fengqiao_supervisor",
    "town centre, grid worker": "fengqiao_grid_worker",
    "town committee, mediator": "fengqiao_mediator",
    "village of the place, supervisor": "yangchun_supervisor",
    "village beside, supervisor": "xianjin_supervisor",
    "other town, supervisor": "jiyang_supervisor",
}


def states(demo):
    county, town = demo["zhuji_supervisor"], demo["fengqiao_supervisor"]
    centre = Unit.objects.get(name="枫桥镇综治中心")
    made = {"raised at the county": new_warning("yangchun", key="walk:1")}
    sent = made["sent to the town"] = new_warning("yangchun", key="walk:2")
    wf.send(sent.pk, county, unit=centre)
    for name, key, last in (
        ("signed", "walk:3", "sign"),
        ("handled", "walk:4", "handle"),
        ("closed", "walk:5", "close"),
    ):
        w = made[name] = new_warning("yangchun", key=key)
        wf.send(w.pk, county, unit=centre)
        wf.sign(w.pk, town)
        if last in ("handle", "close"):
            wf.handle(w.pk, town, handling="处置")
        if last == "close":
            wf.close(w.pk, town, note="办结")
    return made


def test_the_buttons_are_exactly_the_steps_on_offer(demo):
    seen_any = set()
    for state, warning in states(demo).items():
        for relation, username in VIEWERS.items():
            client = Client()
            client.force_login(demo[username])
            page = client.get(reverse("analysis:detail", args=[warning.pk]))
            if page.status_code == 404:
                for name in wf.TRANSITIONS:
                    assert client.get(reverse("analysis:action", args=[warning.pk, name])).status_code == 404
                continue
            assert page.status_code == 200, (state, relation)
            shown = set(re.findall(rf'href="/warnings/{warning.pk}/([a-z_]+)/"', page.content.decode()))
            allowed = {
                name for name in wf.TRANSITIONS
                if client.get(reverse("analysis:action", args=[warning.pk, name])).status_code == 200
            }  # fmt: skip
            assert shown == allowed, (state, relation)
            seen_any |= {(state, s) for s in shown}
    # The walk reaches every step somewhere.
    assert {s for _state, s in seen_any} == set(wf.TRANSITIONS)
