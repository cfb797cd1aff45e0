"""Keyboard only: log in, skip the menu, reach a form's fields and submit it without a mouse."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_filter_with_the_keyboard(page, live_server, demo, shot):
    page.goto(f"{live_server.url}/login/")
    if page.evaluate("() => document.activeElement.id") != "id_username":
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent.trim()") == "跳到正文"
        page.focus("#id_username")
    page.keyboard.type("zhuji_statistician")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_password"
    page.keyboard.type("jiefen2026")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/statistics/petitions/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "跳到正文"
    page.keyboard.press("Enter")  # the first Tab stop skips the menu
    assert page.evaluate("() => location.hash") == "#main"
    # Tab through the filter form to its button and submit with Enter.
    order = []
    for _ in range(30):
        page.keyboard.press("Tab")
        element = page.evaluate(
            "() => [document.activeElement.tagName, document.activeElement.id || document.activeElement.textContent.trim()]"
        )
        order.append(element)
        if element == ["BUTTON", "查看"]:
            break
    ids = [e[1] for e in order]
    assert ids.index("id_region") < ids.index("id_month") < ids.index("查看")
    page.keyboard.press("Enter")
    page.wait_for_selector("#report-heading")
    shot(page, "keyboard-statistics")
