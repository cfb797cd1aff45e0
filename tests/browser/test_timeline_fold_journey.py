"""A dispute with a long timeline in headless Chromium: the page lists the latest entries, says how
many there are, and "显示全部 N 条" lists them all (cases.timeline_fold, issue 22)."""

import pytest

from cases.timeline_fold import SHOWN
from tests.cases.test_timeline_fold import add_notes
from tests.dispute_helpers import new_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_timeline_is_folded_and_shown_whole_on_request(page, live_server, demo, login, shot):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    add_notes(d, m, 119)
    login(page, "xianjin_mediator")
    page.goto(f"{live_server.url}/disputes/{d.pk}/")
    entries = page.locator("#h-timeline ~ ol > li")
    assert entries.count() == SHOWN
    assert "120" in page.inner_text("#h-timeline")
    assert page.locator("#h-timeline ~ ol").inner_text().strip().startswith(f"{120 - SHOWN + 1}.")
    page.locator("#h-timeline").scroll_into_view_if_needed()
    shot(page, "timeline-folded")
    page.click("#timeline-folded a")
    page.wait_for_url("**timeline=all**")
    assert page.locator("#h-timeline ~ ol > li").count() == 120
    assert "回访记录0号" in page.locator("#h-timeline ~ ol").inner_text()
