"""The main menu in Chromium (issue 17, "Fit for daily use"): one line on a desk at 1280 and 1024 px
for every role, the county supervisor (who sees the most entries) with a three-digit notification
badge included; the grouped entries open by keyboard (aria-expanded follows) and by mouse, the page
in a group marks it active; on a 390x844 phone the toggler opens the menu; axe finds nothing
critical or serious with a dropdown open, on the desk and on the phone."""

from pathlib import Path

import pytest

from supervision.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
DESKS = [(1280, 800), (1024, 768)]
# One user per role, county level (the widest unit names); the supervisor sees ten entries.
USERS = ["zhuji_supervisor", "zhuji_administrator", "zhuji_statistician", "zhuji_mediator",
         "zhuji_petition_clerk", "zhuji_grid_worker"]  # fmt: skip


def serious(page) -> list:
    page.evaluate(AXE)
    found = page.evaluate(
        "async () => { const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, target: v.nodes[0].target.join(' ')})); }"
    )
    return [v for v in found if v["impact"] in ("critical", "serious")]


def assert_one_line(page, where: str):
    """The bar is one row: the menu list one line high with its entries side by side, the bar no
    taller than a row of buttons, and its last part inside the window (nothing pushed off the side)."""
    measured = page.evaluate(
        """() => {
          const nav = document.querySelector('#nav');
          const entries = [...nav.querySelectorAll(':scope > ul.navbar-nav > li')];
          const parts = [...nav.children].filter(e => e.offsetParent !== null);
          return {
            bar: document.querySelector('nav.navbar').getBoundingClientRect().height,
            list: nav.querySelector('ul.navbar-nav').getBoundingClientRect().height,
            tops: [...new Set(entries.map(e => Math.round(e.getBoundingClientRect().top)))],
            right: Math.max(...parts.map(e => e.getBoundingClientRect().right)),
            width: window.innerWidth,
          };
        }"""
    )
    assert measured["list"] < 60 and len(measured["tops"]) == 1, f"{where}: {measured}"
    assert measured["bar"] < 70 and measured["right"] <= measured["width"], f"{where}: {measured}"


def test_the_menu_is_one_line_on_a_desk_for_every_role(page, live_server, demo, login, shot):
    Notification.objects.bulk_create(
        Notification(user=demo["zhuji_supervisor"], title="提醒", body="到期提醒") for _ in range(120)
    )
    for username in USERS:
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 800})
        login(page, username)
        for width, height in DESKS:
            page.set_viewport_size({"width": width, "height": height})
            assert_one_line(page, f"{username} at {width}px")
            if username == "zhuji_supervisor":
                assert page.locator("header .btn .badge").inner_text() == "120"
                shot(page, f"menu-01-{username}-{width}")
    # English labels are about twice as wide: the supervisor's bar in English keeps one line too.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, "zhuji_supervisor")
    page.select_option("#language", "en")
    page.click("footer button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "My work"
    for width, height in DESKS:
        page.set_viewport_size({"width": width, "height": height})
        assert_one_line(page, f"zhuji_supervisor in English at {width}px")
        shot(page, f"menu-01-zhuji_supervisor-en-{width}")


def test_a_dropdown_opens_by_keyboard_and_by_mouse(page, live_server, demo, login, shot):
    login(page, "zhuji_supervisor")
    page.set_viewport_size({"width": 1024, "height": 768})
    toggle = page.locator("#nav").get_by_role("button", name="督查督办")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")  # Bootstrap moves the focus into the menu
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "督办单"
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "督办看板"
    assert serious(page) == []
    shot(page, "menu-02-dropdown-open-1024")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/supervision/orders/")
    # The page of a group: the group's button is marked, its entry is the current page.
    assert "active" in toggle.get_attribute("class")
    assert (
        page.locator("#nav a.dropdown-item[aria-current=page]").get_attribute("href")
        == "/supervision/orders/"
    )

    data = page.locator("#nav").get_by_role("button", name="统计与数据")
    data.click()
    assert data.get_attribute("aria-expanded") == "true"
    page.locator("#nav").get_by_role("link", name="统计", exact=True).click()
    page.wait_for_url(f"{live_server.url}/statistics/**")
    assert "active" in data.get_attribute("class")
    assert "active" not in toggle.get_attribute("class")

    # The account menu: the unit in full and the password.
    account = page.locator("#nav").get_by_role("button", name="账户")
    account.click()
    assert "诸暨市综治中心" in page.locator("#nav .dropdown-menu-end").inner_text()
    page.locator("#nav").get_by_role("link", name="修改密码").click()
    page.wait_for_url(f"{live_server.url}/password/")


def test_the_phone_toggler_opens_the_menu(browser, live_server, demo, shot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "zhuji_supervisor")
    page.fill("#id_password", "jiefen2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible() and not page.locator("#nav").is_visible()
    toggler.click()
    page.locator("#nav.show").wait_for()
    assert toggler.get_attribute("aria-expanded") == "true"
    page.locator("#nav").get_by_role("button", name="督查督办").click()
    page.locator("#nav").get_by_role("link", name="督办看板").wait_for()
    assert serious(page) == []
    shot(page, "menu-03-phone-open")
    page.locator("#nav").get_by_role("link", name="督办看板").click()
    page.wait_for_url(f"{live_server.url}/supervision/")
    assert not page.locator("#nav").is_visible()  # a new page: the menu folded again
    context.close()
