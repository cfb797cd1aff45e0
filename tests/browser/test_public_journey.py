"""The public's own channel on a 390x844 phone (issue 20): a citizen applies for mediation with a
photo -> gets the 查询码 (and its QR code) -> the village mediator finds it in the inbox and accepts
it -> the citizen follows the code with a one-time code and sees 已受理 -> the mediator starts
mediation, records a session and the agreement on the case page -> the citizen downloads the 调解协议书
PDF and evaluates the mediation -> the month's mediation 参评率 changes (computed and on the statistics
page). Then the same citizen's online petition, once answered and delivered, is evaluated online and
the month's petition 参评率 changes. axe-core on every public
page: no critical or serious violation. Screenshots in artifacts/browser/public-*.png."""

import re

import pytest
from django.core.cache import caches
from django.utils import timezone

from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import action
from tests.browser.test_phone_journeys import PHONE, jpeg
from tests.public.helpers import ID_NUMBER, Texts, last_text, otp_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MOBILE = "13912345678"


def _checked(page, report, name):
    report[name] = [v for v in violations(page) if v["impact"] in ("critical", "serious")]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def _apply(page, url, pick_region, region, *, petition=False, photo=False):
    page.goto(url)
    page.fill("#id_name", "王秀英")
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_phone", MOBILE)
    pick_region(page, region)
    if petition:
        page.select_option("#id_petition_kind", "claim")
    page.select_option("#id_category", index=1)
    page.fill("#id_other_party", "李建华" if not petition else "枫桥镇某公司")
    page.fill("#id_summary", "邻居排水沟堵塞引发纠纷" if not petition else "工资被拖欠三个月")
    page.fill("#id_facts", "邻居家排水沟堵塞，雨水流入我家院子。")
    page.fill("#id_request", "请求疏通排水沟并赔偿损失。")
    if photo:
        page.set_input_files(
            "#id_files", files=[{"name": "院子.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
        )
    page.check("#id_accept_notice")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#query-code")
    return page.inner_text("#query-code").strip()


def _unlock(page, base, code, report=None):
    page.goto(f"{base}/public/follow/")
    page.fill("#id_code", code)
    page.fill("#id_phone", MOBILE)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/public/follow/code/")
    if report is not None:
        _checked(page, report, "one-time code")
    page.fill("#id_otp", otp_in(last_text(MOBILE)))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/public/case/")


def test_citizen_applies_follows_and_evaluates_on_a_phone(
    browser, live_server, demo, settings, shot, pick_region, login
):
    from accounts.demo import COUNTY, TOWNS, VILLAGES
    from accounts.models import Region
    from mediation.models import Dispute
    from petitions import workflow as pwf
    from petitions.models import Petition
    from reporting import mediation_stats, petition_stats
    from reporting.periods import Period

    settings.SMS_GATEWAY = "tests.public.helpers.Texts"
    Texts.sent = []
    caches["ratelimit"].clear()
    base, report = live_server.url, {}
    citizen = browser.new_context(**PHONE).new_page()

    citizen.goto(f"{base}/public/")
    _checked(citizen, report, "index")
    shot(citizen, "public-0-index")
    citizen.goto(f"{base}/public/apply/mediation/")
    citizen.click("main form button[type=submit]")  # nothing filled: errors beside the fields
    citizen.wait_for_load_state()
    shot(citizen, "public-1-apply-errors")
    citizen.wait_for_selector(".invalid-feedback")
    _checked(citizen, report, "apply (errors)")
    shot(citizen, "public-1-apply-errors")
    code = _apply(citizen, f"{base}/public/apply/mediation/", pick_region, VILLAGES["xianjin"], photo=True)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert code in last_text(MOBILE)  # and by SMS
    assert citizen.locator("img[src^='data:image/svg+xml']").count() == 1  # the QR code, drawn here
    _checked(citizen, report, "confirmation")
    shot(citizen, "public-2-code")
    dispute = Dispute.objects.get()
    assert code.replace("-", "") not in dispute.number

    # The village mediator: the application waits in the inbox; opened from there, accepted, mediated
    # and agreed through the case page's own buttons and forms.
    staff = browser.new_context().new_page()
    login(staff, "xianjin_mediator")
    shot(staff, "public-3-mediator-inbox")
    staff.locator("main a", has_text=dispute.number).first.click()
    staff.wait_for_url(f"{base}/disputes/{dispute.pk}/")
    assert "院子.jpg" in staff.inner_text("main")
    action(staff, "accept", live_server)

    _unlock(citizen, base, code, report)
    _checked(citizen, report, "case (accepted)")
    assert "已受理" in citizen.inner_text("#current-status")
    assert "李建华" not in citizen.inner_text("main")  # the other party's name is not shown
    assert citizen.locator("form[action$='/evaluate/']").count() == 0  # nothing to evaluate yet
    shot(citizen, "public-4-accepted")

    action(staff, "start_mediation", live_server)
    action(staff, "record_session", live_server, {
        "#id_held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "#id_place": "村调解室",
        "#id_attendees": "王秀英、李建华", "#id_record": "双方同意疏通排水沟。", "select:#id_outcome": "agreed",
    })  # fmt: skip
    action(staff, "agree", live_server, {
        "select:#id_form": "written", "#id_terms": "疏通排水沟，赔偿500元。",
        "#id_effective_date": timezone.localdate().isoformat(),
    })  # fmt: skip
    shot(staff, "public-4b-mediator-agreed")
    dispute.refresh_from_db()
    assert dispute.status == "agreed" and dispute.agreement.terms == "疏通排水沟，赔偿500元。"

    today = timezone.localdate()
    county, month = Region.objects.get(code=COUNTY), Period.month(today.year, today.month)

    def mediation_figures():
        return mediation_stats.compute(demo["zhuji_supervisor"], county, month)["sheets"][0].total.values

    before = mediation_figures()
    citizen.reload()
    assert "调解协议书" in citizen.inner_text("main")
    _checked(citizen, report, "case (agreement, evaluation offered)")
    shot(citizen, "public-5-agreement")
    link = citizen.locator("a", has_text="调解协议书").get_attribute("href")
    pdf = citizen.context.request.get(base + link)
    assert (
        pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    )
    # The citizen evaluates the mediation: once, shown back, and the month's mediation 参评率 moves.
    citizen.check("input[name=value][value=satisfied]")
    citizen.click("form[action$='/evaluate/'] button[type=submit]")
    citizen.wait_for_url(f"{base}/public/case/")
    assert citizen.locator("form[action$='/evaluate/']").count() == 0
    assert "满意" in citizen.inner_text("#my-evaluation")
    shot(citizen, "public-5b-dispute-evaluated")
    after = mediation_figures()
    print(
        f"\n调解 参评: {before['evaluated']}/{before['evaluable']} -> {after['evaluated']}/{after['evaluable']};"
        f" 参评率 {before['evaluation_rate']} -> {after['evaluation_rate']}; 满意率 -> {after['satisfaction_rate']}"
    )
    assert (before["evaluated"], after["evaluated"]) == (0, 1)
    assert after["evaluation_rate"] != before["evaluation_rate"] and after["satisfaction_rate"] == 100
    assert dispute.timeline.filter(action="evaluate", actor=None).count() == 1
    # The month's mediation statistics on screen say so too.
    staff.get_by_role("button", name="退出登录").click()
    login(staff, "zhuji_statistician")
    staff.goto(f"{base}/statistics/mediation/?region={COUNTY}&month={today:%Y-%m}")
    rate_cell = staff.locator(
        "table[data-sheet='summary'] tr[data-row='total'] td[data-column='evaluation_rate']"
    )
    assert rate_cell.inner_text().strip() == f"{after['evaluation_rate']}%"
    rate_cell.scroll_into_view_if_needed()
    shot(staff, "public-5c-mediation-statistics")

    # The same citizen's online petition, answered and delivered, evaluated online: 参评率 moves.
    citizen.context.clear_cookies()
    code = _apply(citizen, f"{base}/public/apply/petition/", pick_region, TOWNS["fengqiao"], petition=True)
    petition = Petition.objects.get()
    clerk, boss = demo["fengqiao_petition_clerk"], demo["fengqiao_supervisor"]
    pwf.accept(petition.pk, clerk)
    pwf.reply(petition.pk, boss, outcome="not_supported", text="经调查，不予支持。")
    pwf.record_delivery(
        petition.pk, clerk, document="opinion", method="online", delivered_on=timezone.localdate()
    )

    def figures():
        return petition_stats.compute(demo["zhuji_supervisor"], county, month)["sheets"][0].total.values

    before = figures()
    _unlock(citizen, base, code)
    _checked(citizen, report, "case (evaluation offered)")
    assert "复查申请期限" not in citizen.inner_text("dl")  # the citizen's window is not the office's limit
    assert "最后一天" in citizen.inner_text("main")
    shot(citizen, "public-6-evaluate")
    citizen.check("input[name=value][value=satisfied]")
    citizen.click("form[action$='/evaluate/'] button[type=submit]")
    citizen.wait_for_url(f"{base}/public/case/")
    after = figures()
    print(
        f"\n参评: {before['evaluated']} -> {after['evaluated']}; 参评率 {before['evaluation_rate']} -> {after['evaluation_rate']}"
    )
    assert (before["evaluated"], after["evaluated"]) == (0, 1)
    assert after["evaluation_rate"] != before["evaluation_rate"]
    assert citizen.locator("form[action$='/evaluate/']").count() == 0  # once
    shot(citizen, "public-7-evaluated")

    for path in ("/public/follow/", "/public/apply/petition/"):
        citizen.goto(base + path)
        _checked(citizen, report, path)
    # After three look-ups from this address (the two above count, matched or not) the forms ask
    # for the CAPTCHA drawn here.
    citizen.goto(f"{base}/public/follow/")
    citizen.fill("#id_code", "AAAA-BBBB-CCCC")
    citizen.fill("#id_phone", "13700000000")
    citizen.click("main form button[type=submit]")
    citizen.wait_for_url(f"{base}/public/follow/code/")
    citizen.goto(f"{base}/public/follow/")
    assert citizen.locator("img.captcha").count() == 1
    assert citizen.evaluate("document.querySelector('img.captcha').naturalWidth") > 0  # served under the CSP
    _checked(citizen, report, "follow with CAPTCHA")
    shot(citizen, "public-8-captcha")
    assert {k: v for k, v in report.items() if v} == {}
