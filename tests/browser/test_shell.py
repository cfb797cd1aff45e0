"""The portal shell in a real browser: Chinese login, each role's home, phone viewport."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_and_home_in_chinese(page, live_server, demo, login, shot):
    page.goto(f"{live_server.url}/")
    assert "登录" in page.title()
    shot(page, "shell-01-login")
    login(page, "fengqiao_supervisor")
    assert page.locator("h1").inner_text() == "我的工作"
    assert "枫桥镇综治中心" in page.content()
    shot(page, "shell-02-home-town-supervisor")


def test_wrong_password_is_explained(page, live_server, demo, shot):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "xianjin_mediator")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    assert page.locator(".alert-danger").is_visible()
    assert "用户名" in page.locator(".alert-danger").inner_text()
    shot(page, "shell-03-login-error")


def test_phone_viewport_home(browser, live_server, demo, shot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "xianjin_grid_worker")
    page.fill("#id_password", "jiefen2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # The menu collapses into a toggler on a phone.
    assert page.locator(".navbar-toggler").is_visible()
    shot(page, "shell-04-home-phone")
    context.close()


def test_switch_to_english_and_back(page, live_server, demo, login):
    login(page, "xianjin_mediator")
    page.select_option("#language", "en")
    page.click("footer button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "My work"
    page.select_option("#language", "zh-hans")
    page.click("footer button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "我的工作"
