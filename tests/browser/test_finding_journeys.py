"""Finding things (issue 17), in Chromium: search by a whole ID number and by a phone finds the case in
the list and in the person look-up; the region picker (type 阳春 or a code; a town, then its
villages; keyboard only); save a filter and see it on the home page with its count. Screenshots go
to artifacts/browser/find-*.png; axe-core checks the new pages and the picker open."""

import re

import pytest

from tests.browser.test_accessibility import violations
from tests.dispute_helpers import new_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID = "11010519491231002X"  # the applicant 张三明 of new_dispute
PHONE = "139-0013-9000"  # the respondent 李四, stored as 13900139000


def first_option_has(page, text):
    """Wait until the picker's first option names ``text`` (the answer to the last keystroke)."""
    page.wait_for_function(
        "t => { const o = document.querySelector('#id_region_options [role=option]');"
        " return o !== null && o.textContent.includes(t); }",
        arg=text,
    )


def serious(page):
    return [v for v in violations(page) if v["impact"] in ("critical", "serious")]


def test_search_by_id_number_and_phone_finds_the_case(page, live_server, demo, login, shot):
    mine = new_dispute(demo["xianjin_mediator"], summary="村东排水沟堵塞")
    elsewhere = new_dispute(demo["jiangdong_mediator"], village="jiangdong", summary="江东楼道堆物")
    login(page, "fengqiao_supervisor")
    page.goto(f"{live_server.url}/disputes/")
    page.fill("#id_q", ID)
    page.click("form[aria-label='筛选'] button[type=submit]")
    page.wait_for_url(re.compile(r"party=id%3A[0-9a-f]{64}"))
    assert "110105" not in page.url and page.locator("#id_q").input_value() == ""  # the number is nowhere
    assert page.locator("#number-search").is_visible()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and mine.number in rows.first.inner_text()
    assert elsewhere.number not in page.content()  # another town's case: not found
    shot(page, "find-list-by-id-number")

    page.fill("#id_q", PHONE)
    page.click("form[aria-label='筛选'] button[type=submit]")
    page.wait_for_url(re.compile(r"party=phone%3A"))
    assert "139" not in page.url
    assert page.locator("table tbody tr").count() == 1 and "李四" in page.locator("table tbody").inner_text()
    shot(page, "find-list-by-phone")

    # The person look-up, from the menu.
    page.click("nav >> text=查找当事人")
    page.fill("#id_number", PHONE)
    page.click("main button[type=submit]")
    page.wait_for_selector("#person-cases")
    assert "139" not in page.url  # posted
    table = page.locator("#person-cases").inner_text()
    assert mine.number in table and "李四" in table and elsewhere.number not in table
    assert serious(page) == []
    shot(page, "find-person-lookup")


def test_the_region_picker_by_name_code_town_and_keyboard(page, live_server, demo, login, shot):
    login(page, "zhuji_supervisor")
    page.goto(f"{live_server.url}/disputes/")
    picker = page.locator("#id_region_picker")
    assert picker.get_attribute("role") == "combobox"
    assert page.locator("#id_region").is_hidden()  # the real field stays in the form, hidden
    assert page.locator("label[for='id_region_picker']").count() == 1

    picker.click()  # the towns, to start from
    page.locator("#id_region_options [role=option]").first.wait_for()
    picker.type("阳春")
    first_option_has(page, "阳春")
    option = page.locator("#id_region_options [role=option]").first
    assert "枫桥镇 › 阳春" in option.inner_text()
    assert picker.get_attribute("aria-expanded") == "true"
    assert serious(page) == []
    shot(page, "find-picker-yangchun")
    page.keyboard.press("ArrowDown")
    assert picker.get_attribute("aria-activedescendant") == "id_region_options_0"
    page.keyboard.press("Enter")
    assert page.locator("#id_region").input_value() == "330681109241"
    assert picker.input_value().startswith("枫桥镇 › 阳春")

    # A town, then its villages with the right arrow; a town filters by its 9-digit prefix.
    picker.fill("")
    picker.type("枫桥")
    first_option_has(page, "枫桥镇")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelectorAll('#id_region_options [role=option]').length > 2"
        " && document.querySelector('#id_region_options [role=option]').textContent.includes('330681109000')"
    )
    shot(page, "find-picker-town-villages")
    page.keyboard.press("Enter")
    assert page.locator("#id_region").input_value() == "330681109"

    # By code.
    picker.fill("")
    picker.type("330681001001")
    first_option_has(page, "江东")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.click("form[aria-label='筛选'] button[type=submit]")
    page.wait_for_url(re.compile(r"region=330681001001"))
    # The page comes back with the chosen region named in the picker.
    page.wait_for_function("() => document.getElementById('id_region_picker').value.includes('江东')")


def test_the_region_picker_on_the_intake_form(page, live_server, demo, login, shot):
    login(page, "fengqiao_supervisor")
    page.goto(f"{live_server.url}/disputes/new/")
    picker = page.locator("#id_region_picker")
    picker.click()
    picker.type("先进")
    first_option_has(page, "先进")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_region").input_value() == "330681109219"
    # Another town's village is not offered.
    chosen = picker.input_value()
    assert "先进" in chosen
    picker.press("Control+a")
    picker.type("江东")  # over the chosen name (emptying the box would clear the field)
    page.wait_for_selector(".region-picker .form-text:has-text('未找到地区')")
    assert page.locator("#id_region_options [role=option]").count() == 0
    assert serious(page) == []
    shot(page, "find-picker-intake")
    # Leaving the box with text that was not picked shows again the region the field holds.
    page.keyboard.press("Tab")
    assert picker.input_value() == chosen and page.locator("#id_region").input_value() == "330681109219"


def test_without_javascript_the_region_field_is_a_code_box(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "zhuji_supervisor")
    page.fill("#id_password", "jiefen2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    new_dispute(demo["xianjin_mediator"], summary="村东排水沟堵塞")
    page.goto(f"{live_server.url}/disputes/")
    assert page.locator("#id_region_picker").count() == 0
    page.click("details.list-filters > summary")  # without JS the filters stay folded: one click opens them
    page.fill("#id_region", "330681109")
    page.click("form[aria-label='筛选'] button[type=submit]")
    page.wait_for_url(re.compile(r"region=330681109"))
    assert "村东排水沟堵塞" in page.content()
    context.close()


def test_save_a_filter_and_see_it_on_home(page, live_server, demo, login, shot):
    for _ in range(2):
        new_dispute(demo["xianjin_mediator"], summary="村东排水沟堵塞")
    new_dispute(demo["jiangdong_mediator"], village="jiangdong", summary="江东楼道堆物")
    login(page, "fengqiao_supervisor")
    page.goto(f"{live_server.url}/disputes/?region=330681109&scope=all")
    page.click("summary:has-text('保存当前筛选')")
    page.fill("#saved-filter-name", "本镇纠纷")
    page.check("#saved-filter-home")
    shot(page, "find-save-filter")
    page.click("#save-filter-form button[type=submit]")
    page.wait_for_url(re.compile(r"/disputes/\?region=330681109"))
    assert "已保存筛选“本镇纠纷”" in page.content()

    page.goto(f"{live_server.url}/")
    link = page.locator("#saved-filters a.saved-filter-link")
    assert link.count() == 1
    text = link.inner_text()
    assert "本镇纠纷" in text and "2" in text
    assert serious(page) == []
    shot(page, "find-home-saved-filter")
    link.click()
    page.wait_for_url(re.compile(r"/disputes/\?region=330681109"))
    assert page.locator("table tbody tr").count() == 2

    page.goto(f"{live_server.url}/filters/")
    page.fill("input[name=name]", "枫桥镇纠纷")
    page.click("button:has-text('改名')")
    page.wait_for_url(f"{live_server.url}/filters/")
    assert "枫桥镇纠纷" in page.locator("#saved-filter-table").inner_text()
    assert serious(page) == []
    shot(page, "find-saved-filters-page")


def test_the_picker_and_saved_filters_on_a_phone(page, live_server, demo, login, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "fengqiao_grid_worker")
    page.goto(f"{live_server.url}/disputes/")
    page.click("details.list-filters > summary")  # on a phone the filters fold behind one button
    picker = page.locator("#id_region_picker")
    picker.click()
    picker.type("先进")
    first_option_has(page, "先进")
    box = page.locator("#id_region_options").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the options stay on the screen
    assert serious(page) == []
    shot(page, "find-phone-picker")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.click("form[aria-label='筛选'] button[type=submit]")
    page.wait_for_url(re.compile(r"region=330681109219"))
    page.click("summary:has-text('保存当前筛选')")
    page.fill("#saved-filter-name", "先进村")
    page.check("#saved-filter-home")
    page.click("#save-filter-form button[type=submit]")
    page.wait_for_url(re.compile(r"region=330681109219"))
    page.goto(f"{live_server.url}/")
    assert page.locator("#saved-filters a.saved-filter-link").inner_text().startswith("先进村")
    shot(page, "find-phone-home")
