"""The county administrator in Chromium: adds a colleague with a role on Chinese pages, disables an
account after a confirmation, and enters next year's holidays in one step from the State Council's
notice (issue 17, "The administrator, in Chinese")."""

import re

import pytest

from accounts import roles
from accounts.models import User
from cases.models import CalendarDay, CalendarYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = """国务院办公厅关于2031年部分节假日安排的通知
一、元旦：1月1日至3日放假调休，共3天。
二、春节：1月22日至29日放假调休，共8天。1月19日、2月8日上班。
三、清明节：4月5日至7日放假，共3天。
四、劳动节：5月1日至5日放假调休，共5天。4月27日、5月10日上班。
五、端午节：6月24日至26日放假，共3天。
六、中秋节：10月1日至8日放假调休，共8天。9月28日、10月11日上班。
"""


def test_administrator_adds_a_user_with_a_role_and_enters_next_years_holidays(
    page, live_server, demo, login, shot
):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, "zhuji_administrator")
    page.locator("header a[href='/admin/']").click()  # the menu's administration link (staff only)
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/accounts/user/add/")
    page.fill("#id_username", "fengqiao_clerk2")
    page.fill("#id_display_name", "周晓燕")
    # The unit is a searchable picker (select2 autocomplete, scoped to the county).
    page.locator(".field-unit .select2-selection").click()
    page.locator(".select2-search__field").fill("枫桥镇综治")
    page.locator(".select2-results__option", has_text="枫桥镇综治中心").first.click()
    checkbox = page.locator("input[name=roles][value=petition_clerk]")
    checkbox.check()
    assert page.locator("input[name=roles][value=administrator]").count() == 0
    page.fill("#id_password1", "Fengqiao-2031-ok!")
    page.fill("#id_password2", "Fengqiao-2031-ok!")
    shot(page, "admin-01-add-user")
    page.locator("input[name=_save]").click()
    page.wait_for_selector(".messagelist")
    user = User.objects.get(username="fengqiao_clerk2")
    assert roles.roles_of(user) == {roles.PETITION_CLERK} and user.unit.name == "枫桥镇综治中心"

    page.goto(f"{live_server.url}/admin/accounts/user/?q=枫桥镇")
    row = page.locator("tr", has_text="fengqiao_clerk2")
    assert "枫桥镇综治中心" in row.inner_text() and "信访" in row.inner_text()
    role_cells = " ".join(page.locator("#result_list td.field-role_names").all_inner_texts())
    assert "信访" in role_cells and not re.search(r"[a-z_]|unit:", role_cells)  # Chinese names only
    shot(page, "admin-02-user-list")

    # Disabling: one click in the list, a confirmation page, done.
    row.get_by_role("link", name="停用").click()
    page.wait_for_selector("text=确定停用")
    shot(page, "admin-03-disable-confirm")
    page.locator("input[type=submit][value=确定停用]").click()
    page.wait_for_selector(".messagelist")
    user.refresh_from_db()
    assert not user.is_active

    # Next year's holidays in one step: paste, preview, confirm.
    page.goto(f"{live_server.url}/admin/cases/calendaryear/")
    page.get_by_role("link", name="录入全年节假日").click()
    page.fill("#id_year", "2031")
    page.fill("#id_notice", NOTICE)
    page.get_by_role("button", name="预览通知中的安排").click()
    page.wait_for_selector("#holiday-preview")
    assert "调休上班" in page.locator("#holiday-preview").inner_text()
    shot(page, "admin-04-holiday-preview")
    assert not CalendarDay.objects.filter(date__year=2031).exists()
    page.locator("input[name=confirm]").click()
    page.wait_for_selector(".messagelist")
    message = page.locator(".messagelist").inner_text()
    assert "2031年的安排已保存" in message and "期限" in message
    shot(page, "admin-05-holidays-saved")
    assert CalendarYear.objects.filter(year=2031).exists()
    assert CalendarDay.objects.filter(date__year=2031, is_workday=False).count() == 30
    assert CalendarDay.objects.filter(date__year=2031, is_workday=True).count() == 6
    assert "2031年1月1日" in page.locator("#result_list").inner_text()  # the year just entered
    assert not violations


def test_print_buttons_and_the_printed_order_page(page, live_server, demo, login, shot):
    import datetime

    from django.utils import timezone

    from supervision.orders import issue_order
    from tests.dispute_helpers import new_dispute

    mediator = demo["xianjin_mediator"]
    dispute = new_dispute(mediator)
    order = issue_order(
        demo["zhuji_supervisor"], dispute.pk, target_unit=mediator.unit, required_action="三日内书面回复",
        target_date=timezone.localdate() + datetime.timedelta(days=3),
    )  # fmt: skip
    login(page, "xianjin_mediator")
    for path in ("/disputes/", f"/disputes/{dispute.pk}/file/", "/supervision/orders/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("button[data-print]").count() == 1, path
    page.goto(f"{live_server.url}/supervision/orders/{order.pk}/reply/")
    assert order.number in page.locator("h1").inner_text()
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible() and not page.locator("button[data-print]").is_visible()
    assert not page.locator("footer").is_visible()
    shot(page, "admin-06-order-page-printed")
