"""`make run` serves the demo like production: DEBUG off, Chinese error pages under the same CSP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from run_demo import demo_env  # noqa: E402


def _boom(request):
    raise RuntimeError("secret-detail-that-must-not-show SELECT * FROM cases_case")


urlpatterns = [path("boom/", _boom)]


def _settings_debug(env: dict[str, str]) -> str:
    env = {k: v for k, v in env.items() if not k.startswith("DJANGO_SETTINGS_MODULE")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    return out.stdout.strip() or out.stderr


def test_make_run_serves_with_debug_off():
    base = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    assert demo_env(base)["DEBUG"] == "0"
    assert _settings_debug(demo_env(base)) == "False"
    makefile = (ROOT / "Makefile").read_text()
    assert "DEBUG  ?= 0" in makefile and "DEBUG=1" not in makefile.split("run:", 1)[1].split("\n\n", 1)[0]


def test_developers_switch_turns_debug_on():
    assert _settings_debug(demo_env({**os.environ, "DEBUG": "1"})) == "True"


@pytest.mark.urls("tests.test_demo_server")
def test_an_error_shows_the_chinese_500_page_under_the_csp(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统出现错误" in body and "已保存的数据不会丢失" in body
    assert "secret-detail" not in body and "Traceback" not in body and "SELECT" not in body
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_unknown_page_is_the_chinese_404_under_the_csp(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() or "不存在" in response.content.decode()
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_an_ordinary_refusal_is_the_chinese_403_page_and_one_log_line(client, demo, settings, caplog):
    """A mediator opening the statistics is refused: the Chinese page, and in the log the refusal's
    one line without the PermissionDenied traceback (config.logfilters)."""
    import logging

    settings.DEBUG = False
    client.force_login(demo["xianjin_mediator"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/statistics/mediation/")
    assert response.status_code == 403
    assert "无权" in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request"]
    # Django attached the traceback; the console handler's filter (configured first on the root
    # logger) dropped it from the record before the line was written.
    assert record.status_code == 403 and record.exc_info is None
    line = logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    assert "Traceback" not in line and "/statistics/mediation/" in line
    assert "refusal_without_traceback" in settings.LOGGING["handlers"]["console"]["filters"]


def test_the_filter_drops_a_refusals_traceback():
    import logging
    import sys

    from config.logfilters import RefusalWithoutTraceback

    try:
        raise PermissionError("refused")
    except PermissionError:
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Forbidden", (), sys.exc_info()
        )
    record.status_code = 403
    assert RefusalWithoutTraceback().filter(record) and record.exc_info is None


def test_a_fault_keeps_its_traceback_in_the_log():
    import logging
    import sys

    from config.logfilters import RefusalWithoutTraceback

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (),
                                   sys.exc_info())  # fmt: skip
    record.status_code = 500
    assert RefusalWithoutTraceback().filter(record) and record.exc_info is not None


def test_the_favicon_is_served_and_linked(client, demo):
    assert client.get("/favicon.ico").status_code == 200
    client.force_login(demo["xianjin_mediator"])
    body = client.get("/").content.decode()
    assert 'rel="icon"' in body and "favicon.svg" in body
