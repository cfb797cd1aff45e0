"""The key-person and 包案 journey in headless Chromium (issue 18): the county supervisor lists the
person behind a repeat-person warning as a key person (列为重点人员), puts them under 枫桥镇's leader
(包案) → the town leader signs in and finds it on the home page under 我的包案, with a link to it.
Screenshots go to var/screenshots/keyp-*.png."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def snap(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"keyp-{name}.png"), full_page=True)


def test_a_repeat_person_is_listed_and_put_under_a_town_leader(page, live_server, demo, login):
    from cases.models import CaseParty
    from tests.analysis.helpers import new_warning
    from tests.dispute_helpers import new_dispute

    case = new_dispute(demo["xianjin_mediator"], village="xianjin")
    party = CaseParty.objects.get(case=case, role="applicant")
    warning = new_warning("xianjin", key=f"repeat:{party.person_id}", cases=[case], rule="repeat_person")
    leader = demo["fengqiao_supervisor"]
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    login(page, "zhuji_supervisor")
    page.goto(f"{live_server.url}/warnings/{warning.pk}/")
    page.get_by_role("link", name="列为重点人员", exact=True).click()
    page.wait_for_selector("main form")
    assert page.input_value("#id_name") == party.name
    page.fill("#id_note", "半年内三次来访，诉求相同。")
    page.fill("#id_review_on", later)
    snap(page, "1-list-form")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#key-person-status")
    assert party.name in page.locator("h1").inner_text()
    page.get_by_role("link", name="领导包案", exact=True).click()
    page.wait_for_selector("main form")
    page.select_option("#id_leader", value=str(leader.pk))
    page.select_option("#id_unit", value=str(leader.unit_id))
    page.select_option("#id_staff", value=str(demo["fengqiao_petition_clerk"].pk))
    page.fill("#id_due_on", later)
    page.fill("#id_duty", "面对面接谈，依法疏导，限期化解。")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    snap(page, "2-key-person-page")
    page.get_by_role("button", name="退出登录").click()

    login(page, "fengqiao_supervisor")
    panel = page.locator("#baoan-panel")
    assert "我的包案" in panel.inner_text()
    snap(page, "3-town-leader-home")
    panel.get_by_role("link", name=party.name).click()
    page.wait_for_selector("#baoan-status")
    assert "包案中" in page.locator("#baoan-status").inner_text()
    assert "面对面接谈" in page.locator("main").inner_text()
    snap(page, "4-baoan-page")


def test_the_look_up_and_case_page_buttons_list_and_put_under_a_leader(page, live_server, demo, login):
    """The two buttons (issue 18): 列为重点人员 beside a party on the person look-up, 领导包案 on the
    dispute page; a petition of the same person shows the dispute it came from. A mediator sees
    neither button."""
    from cases.models import CaseParty
    from tests.analysis.planted import petition
    from tests.dispute_helpers import new_dispute

    case = new_dispute(demo["xianjin_mediator"], village="xianjin")
    party = CaseParty.objects.get(case=case, role="applicant")
    later = petition(demo["zhuji_supervisor"], "xianjin", 0, timezone.now(),
                     petitioner={"name": party.name, "id_number": "11010519491231002X", "phone": "13800138000"})  # fmt: skip
    review_on = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()

    login(page, "xianjin_mediator")
    page.goto(f"{live_server.url}/people/")
    page.fill("#id_number", "11010519491231002X")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#person-cases")
    assert page.get_by_role("link", name="列为重点人员").count() == 0
    page.goto(f"{live_server.url}/disputes/{case.pk}/")
    assert page.get_by_role("link", name="领导包案", exact=True).count() == 0
    page.get_by_role("button", name="退出登录").click()

    login(page, "xianjin_supervisor")
    page.goto(f"{live_server.url}/people/")
    page.fill("#id_number", "11010519491231002X")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#person-cases")
    snap(page, "5-look-up-buttons")
    page.get_by_role("link", name="列为重点人员").first.click()
    page.wait_for_selector("main form")
    page.fill("#id_note", "纠纷未解又来信访。")
    page.fill("#id_review_on", review_on)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#key-person-status")
    assert party.name in page.locator("h1").inner_text()

    page.goto(f"{live_server.url}/disputes/{case.pk}/")
    assert later.number in page.locator("#conversions").inner_text()
    snap(page, "6-dispute-page-buttons")
    page.get_by_role("link", name="领导包案", exact=True).click()
    page.wait_for_selector("main form")
    me = demo["xianjin_supervisor"]
    page.select_option("#id_leader", value=str(me.pk))
    page.select_option("#id_unit", value=str(me.unit_id))
    page.fill("#id_due_on", review_on)
    page.fill("#id_duty", "当面接谈，限期化解。")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#baoan-status")
    snap(page, "7-case-baoan-page")
    # Under a leader now: the same button leads to the open 包案.
    page.goto(f"{live_server.url}/disputes/{case.pk}/")
    page.get_by_role("link", name="领导包案", exact=True).click()
    page.wait_for_selector("#baoan-status")
    assert "已有领导包案" in page.locator(".alert").inner_text()
    page.goto(f"{live_server.url}/petitions/{later.pk}/")
    assert case.number in page.locator("#conversions").inner_text()
    snap(page, "8-petition-conversion")
