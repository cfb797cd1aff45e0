"""The shell of the portal: login, per-role home, language, admin."""

import re

import pytest
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD, EXTRA_LOGINS, GRID_USERS
from accounts.roles import ALL_ROLES

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_a_chinese_login_page(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "登录" in html and "用户名" in html and "密码" in html


def test_every_demo_login_reaches_its_home_page(client, demo):
    assert len(demo) == 7 * len(ALL_ROLES) + len(EXTRA_LOGINS) + len(GRID_USERS)
    for username, user in demo.items():
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        home = client.get(response.url)
        html = home.content.decode()
        assert home.status_code == 200
        assert "我的工作" in html
        assert user.unit.name in html
        role = {
            **dict.fromkeys(GRID_USERS, "grid_worker"),
            **{u: r for u, (_s, r) in EXTRA_LOGINS.items()},
        }.get(username, username.split("_", 1)[1])
        assert f"role-{role}" in html
        client.post(reverse("logout"))


def test_wrong_password_gives_a_chinese_message(client, demo):
    response = client.post(reverse("login"), {"username": "zhuji_mediator", "password": "wrong-password"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_unknown_user_gets_the_same_message(client, demo):
    wrong = client.post(reverse("login"), {"username": "zhuji_mediator", "password": "nope-nope"})
    unknown = client.post(reverse("login"), {"username": "nobody_here", "password": "nope-nope"})
    pick = re.compile(r'<div class="alert alert-danger" role="alert">(.*?)</div>', re.S)
    assert pick.search(wrong.content.decode()).group(1) == pick.search(unknown.content.decode()).group(1)


def test_home_shows_the_date_in_chinese_and_empty_states(client, demo):
    client.force_login(demo["xianjin_mediator"])
    html = client.get("/").content.decode()
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", html)
    assert "暂无" in html or "没有" in html


def test_chinese_even_when_the_browser_prefers_english(client, demo):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in html


def test_english_is_available(client, demo):
    client.force_login(demo["xianjin_mediator"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "My work" in html and '<html lang="en">' in html


def test_home_uses_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    from tests.factories import CaseFactory

    user = demo["fengqiao_supervisor"]
    client.force_login(user)
    client.get("/")
    CaseFactory.create_batch(30, region_id="330681109219", handler=user, handling_unit=user.unit)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/")
    CaseFactory.create_batch(60, region_id="330681109241", handler=user, handling_unit=user.unit)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(few) == len(many)


def test_password_change_page(client, demo):
    client.force_login(demo["xianjin_mediator"])
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode() and "is-invalid" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/region/",
        "/admin/accounts/region/330681109000/change/",
        "/admin/accounts/unit/",
        "/admin/accounts/user/",
        "/admin/cases/calendarday/",
        "/admin/cases/calendarday/add/",
        "/admin/cases/calendaryear/",
        "/admin/cases/deadlinerule/",
        "/admin/mediation/disputecategory/",
        "/admin/mediation/risklevel/",
        "/admin/petitions/petitioncategory/",
    ],
)
def test_county_administrator_manages_regions_units_users_holidays(client, demo, url):
    client.force_login(demo["zhuji_administrator"])
    assert client.get(url).status_code == 200


def test_administrator_adds_a_2027_holiday_in_the_admin(client, demo):
    from cases.models import CalendarDay

    client.force_login(demo["zhuji_administrator"])
    response = client.post(
        "/admin/cases/calendarday/add/", {"date": "2027-01-01", "is_workday": "", "name": "元旦"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date="2027-01-01").is_workday is False


def test_other_roles_do_not_reach_the_admin(client, demo):
    client.force_login(demo["xianjin_mediator"])
    assert client.get("/admin/accounts/user/").status_code == 302


def test_security_headers_on_pages(client, demo):
    client.force_login(demo["xianjin_mediator"])
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_administrator_sees_when_the_last_scan_finished(client, demo):
    from supervision.reminders import scan

    client.force_login(demo["zhuji_administrator"])
    assert "期限扫描尚未运行过" in client.get("/").content.decode()
    scan()
    assert "最近一次期限扫描完成" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "old, new",
    [
        ("/admin/cases/disputecategory/", "/admin/mediation/disputecategory/"),
        ("/admin/cases/risklevel/3/change/?x=1", "/admin/mediation/risklevel/3/change/?x=1"),
        ("/admin/cases/workerheartbeat/", "/admin/jobs/workerheartbeat/"),
    ],
)
def test_admin_pages_of_moved_models_redirect_permanently(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new
