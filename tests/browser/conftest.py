"""Browser journeys: Playwright for Python driving Debian's Chromium (no downloaded browser).

Skipped, and counted, when /usr/bin/chromium is missing; `.ci/run` installs it.
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


def pytest_collection_modifyitems(config, items):
    if not Path(CHROMIUM).exists():
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason="chromium is not installed"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--disable-gpu", "--disable-quic"],
    }


@pytest.fixture
def shot():
    """Save a full-page screenshot into artifacts/browser/ for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(live_server):
    def do(page, username, password="jiefen2026"):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return do


@pytest.fixture
def pick_region():
    """Choose a region in the searchable picker (static/js/region-picker.js) as a user does: type its
    code, wait for the answer, take the first option. The <select> behind it is hidden."""

    def pick(page, code, field="id_region"):
        picker = page.locator(f"#{field}_picker")
        picker.click()
        picker.fill("")
        picker.type(code)
        page.wait_for_function(
            "([f, c]) => { const o = document.querySelector('#' + f + '_options [role=option]');"
            " return o !== null && o.textContent.includes(c); }",
            arg=[field, code],
        )
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        assert page.locator(f"#{field}").input_value() == code

    return pick
