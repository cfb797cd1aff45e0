"""Petition hand-offs in headless Chromium, each seen from the side that must act next:
(2) the county 信访局 forwards -> the department finds it in its inbox, objects -> the bureau is told,
agrees -> the matter is back with the bureau (and the reverse: the bureau disagrees, the department
keeps it, and is told); (3) the handling opinion is delivered -> 复查 is requested -> it lands with
the body one level above, which decides -> its opinion is delivered -> 复核 -> the level above that
decides and the matter is final; (3c) a 复核 revoked the town's opinion: the town finds its follow-up
overdue in its inbox, issues the redone opinion, delivers it (a new §35 window), reports, and the case
leaves the overdue list. Screenshots go to var/screenshots/."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def snap(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"petition-{name}.png"), full_page=True)


def logout(page):
    page.get_by_role("button", name="退出登录").click()


def open_from_inbox(page, live_server, case_path, section="h-handoffs"):
    """The receiver finds the case in a section of the home inbox and opens it from there."""
    page.goto(f"{live_server.url}/")
    link = page.locator(f"#{section}").locator("xpath=..").locator(f"a[href='{case_path}']").first
    assert link.count() == 1, f"{case_path} not in {section}"
    link.click()
    page.wait_for_url(f"{live_server.url}{case_path}")


def take(page, live_server, case_path, step, fields=None, selects=None):
    """Click the step's button on the case page (it must be there), fill the form, confirm."""
    page.goto(f"{live_server.url}{case_path}")
    page.locator(f"main a[href='{case_path}{step}/']").click()
    for name, value in (selects or {}).items():
        page.select_option(f"#id_{name}", **value)
    for name, value in (fields or {}).items():
        page.fill(f"#id_{name}", value)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")


def buttons(page, live_server, case_path) -> set[str]:
    page.goto(f"{live_server.url}{case_path}")
    hrefs = page.locator("main a.btn").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return {h.removeprefix(case_path).strip("/") for h in hrefs if h and h.startswith(case_path)}


def test_2_forward_object_and_the_bureau_agrees_or_disagrees(page, live_server, demo, login):
    from cases.handoffs import case_url
    from petitions.models import Petition
    from tests.petitions.helpers import new_petition

    clerk, labour = demo["zhuji_petition_clerk"], demo["zhuji_handler"].unit
    for agree in (True, False):
        petition = new_petition(clerk, summary="拖欠农民工工资" if agree else "社保补缴争议")
        path = case_url(petition)
        login(page, "zhuji_petition_clerk")
        take(page, live_server, path, "forward", selects={"unit": {"label": labour.name}})
        assert "forward" not in buttons(page, live_server, path)  # no receiving-unit buttons for the sender
        assert not {"accept", "object"} & buttons(page, live_server, path)
        logout(page)

        login(page, "zhuji_handler")
        open_from_inbox(page, live_server, path)
        snap(page, f"2-department-opens-{agree}")
        take(page, live_server, path, "object", fields={"reason": "属于住建部门职责，非本单位职责。"})
        logout(page)

        login(page, "zhuji_petition_clerk")
        open_from_inbox(page, live_server, path)
        assert "属于住建部门职责" in page.locator("main").inner_text()
        snap(page, f"2-bureau-checks-{agree}")
        decision = "agree_objection" if agree else "disagree_objection"
        take(
            page,
            live_server,
            path,
            decision,
            fields={"reason": "经核实同意。" if agree else "经核实属于人社职责，请继续办理。"},
        )
        logout(page)

        petition = Petition.objects.get(pk=petition.pk)
        login(page, "zhuji_handler")
        if agree:
            assert petition.handling_unit_id == clerk.unit_id and petition.status == "registered"
            assert page.goto(f"{live_server.url}{path}").status == 404  # the grant moved back
        else:
            assert petition.handling_unit_id == labour.pk
            open_from_inbox(page, live_server, path)  # told that it stays
            assert "accept" in buttons(page, live_server, path)
            snap(page, "2-department-keeps-it")
        logout(page)


def test_3_review_and_rereview_each_go_one_level_up(page, live_server, demo, login):
    from cases.handoffs import case_url
    from petitions import workflow as wf
    from petitions.models import Petition
    from tests.petitions.helpers import new_petition

    town_clerk, town_government = demo["fengqiao_petition_clerk"], demo["fengqiao_handler"]
    petition = new_petition(town_clerk, region="330681109219", summary="土地征收补偿争议")
    wf.forward(petition.pk, town_clerk, town_government.unit)
    wf.accept(petition.pk, town_government)
    wf.reply(petition.pk, town_government, outcome="not_supported", text="补偿标准符合规定，不予支持。")
    path = case_url(petition)
    today = timezone.localdate().isoformat()

    login(page, "fengqiao_handler")
    page.goto(f"{live_server.url}{path}")
    assert "尚未" in page.locator("main").inner_text()  # the window has not started before delivery
    take(page, live_server, path, "record_delivery", fields={"delivered_on": today, "recipient": "信访人本人"},
         selects={"document": {"value": "opinion"}, "method": {"index": 0}})  # fmt: skip
    logout(page)

    login(page, "fengqiao_petition_clerk")
    take(page, live_server, path, "request_review", fields={"requested_on": today})
    assert "decide_review" not in buttons(page, live_server, path)  # never the town's own review
    logout(page)

    login(page, "zhuji_petition_clerk")  # the county 信访局, one level above the town
    open_from_inbox(page, live_server, path, section="h-reviews")
    snap(page, "3-county-bureau-reviews")
    take(page, live_server, path, "decide_review", fields={"opinion": "维持原处理意见。"},
         selects={"outcome": {"value": "upheld"}})  # fmt: skip
    take(page, live_server, path, "record_delivery", fields={"delivered_on": today, "recipient": "信访人本人"},
         selects={"document": {"value": "review"}, "method": {"index": 0}})  # fmt: skip
    logout(page)

    login(page, "fengqiao_petition_clerk")
    take(page, live_server, path, "request_rereview", fields={"requested_on": today})
    logout(page)

    review = Petition.objects.get(pk=petition.pk).reviews.get(level="rereview")
    assert review.reviewing_unit_id not in (town_government.unit_id, demo["zhuji_petition_clerk"].unit_id)
    reviewer = next(
        u
        for u in demo.values()
        if u.unit_id == review.reviewing_unit_id and u.groups.filter(name="supervisor").exists()
    )
    login(page, reviewer.username)
    open_from_inbox(page, live_server, path, section="h-reviews")
    take(page, live_server, path, "decide_rereview", fields={"opinion": "复核维持。"},
         selects={"outcome": {"value": "upheld"}})  # fmt: skip
    snap(page, "3-final")
    assert Petition.objects.get(pk=petition.pk).status == "finalized"
    assert datetime.date.fromisoformat(today)


def test_3b_review_holds_a_hearing_then_revokes_and_the_town_handles_again(page, live_server, demo, login):
    """信访工作条例 §31(6), §35: the county bureau holds a hearing during 复查 (its days count) and
    revokes the town's opinion -> the town government finds the order in its inbox, with the date,
    and reports what it did -> the bureau is told."""
    from cases.handoffs import case_url
    from petitions import workflow as wf
    from petitions.models import ReviewRequest
    from tests.petitions.helpers import new_petition

    town_clerk, town_government = demo["fengqiao_petition_clerk"], demo["fengqiao_handler"]
    petition = new_petition(town_clerk, region="330681109219", summary="宅基地审批争议")
    wf.forward(petition.pk, town_clerk, town_government.unit)
    wf.accept(petition.pk, town_government)
    wf.reply(petition.pk, town_government, outcome="not_supported", text="不符合审批条件，不予支持。")
    today = timezone.localdate()
    wf.record_delivery(petition.pk, town_clerk, document="opinion", method="post", delivered_on=today)
    wf.request_review(petition.pk, town_clerk, requested_on=today)
    path = case_url(petition)

    login(page, "zhuji_petition_clerk")
    take(
        page, live_server, path, "start_hearing", fields={"started_on": today.isoformat(), "note": "公开听证"}
    )
    assert "计入第三十五条" in page.locator("main").inner_text()  # the 复查 clock runs on
    take(page, live_server, path, "end_hearing", fields={"ended_on": today.isoformat()})
    take(page, live_server, path, "decide_review", fields={"opinion": "事实不清，撤销原处理意见，责令重新办理。"},
         selects={"outcome": {"value": "revoked"}})  # fmt: skip
    logout(page)

    login(page, "fengqiao_handler")
    open_from_inbox(page, live_server, path)
    main = page.locator("main").inner_text()
    assert "须重新办理" in main and "重新办理、执行" in main  # the order, and its limit on the panel
    snap(page, "3b-town-must-handle-again")
    take(page, live_server, path, "report_followup", fields={"text": "已重新调查核实，出具新的处理意见。"})
    assert "report_followup" not in buttons(page, live_server, path)
    logout(page)

    assert ReviewRequest.objects.get(petition=petition, level="review").followup_on == today
    login(page, "zhuji_petition_clerk")
    open_from_inbox(page, live_server, path)
    assert "已重新调查核实" in page.locator("main").inner_text()
    snap(page, "3b-bureau-sees-the-report")


def test_3c_rereview_revokes_the_town_finds_its_overdue_followup_and_redoes_the_opinion(
    page, live_server, demo, login
):
    """信访工作条例 §35, §36: the 复核 revoked the town's opinion and finalised the matter 70 days ago;
    the town government finds the follow-up overdue in its inbox, opens the case from there, issues
    the redone opinion (its PDF), records its delivery (the new §35 复查 window starts then), and
    reports; the case leaves the overdue list."""
    from cases.handoffs import case_url
    from petitions.models import Petition
    from tests.petitions.helpers import finalised_by_rereview

    petition = finalised_by_rereview(demo, "revoked")
    path = case_url(petition)
    today = timezone.localdate().isoformat()

    login(page, "fengqiao_handler")
    overdue = page.locator("#h-overdue").locator("xpath=..")
    assert overdue.locator(f"a[href='{path}']").count() >= 1  # red, with its days late
    snap(page, "3c-town-inbox-followup-overdue")
    open_from_inbox(page, live_server, path, section="h-overdue")
    assert {"redo_opinion", "report_followup"} <= buttons(page, live_server, path)
    take(page, live_server, path, "redo_opinion", fields={"text": "经重新调查核实，责令企业补发拖欠工资。"},
         selects={"outcome": {"value": "supported"}})  # fmt: skip
    main = page.locator("main").inner_text()
    assert "尚未起算" in main and "重新作出的处理意见书" in main  # the §35 window waits for delivery
    assert page.locator(f"main a[href='{path}pdf/redone/']").count() == 1
    snap(page, "3c-redone-opinion-not-delivered")
    take(page, live_server, path, "record_delivery", fields={"delivered_on": today, "recipient": "信访人本人"},
         selects={"document": {"value": "redone"}, "method": {"index": 0}})  # fmt: skip
    main = page.locator("main").inner_text()
    assert "尚未起算" not in main and "复查申请期限" in main  # the new window runs from delivery
    snap(page, "3c-redone-opinion-delivered")
    take(
        page, live_server, path, "report_followup", fields={"text": "已重新办理，新的处理意见已送达信访人。"}
    )
    assert "report_followup" not in buttons(page, live_server, path)
    page.goto(f"{live_server.url}/")
    assert page.locator("#h-overdue").locator("xpath=..").locator(f"a[href='{path}']").count() == 0
    snap(page, "3c-town-inbox-after-the-report")
    assert Petition.objects.get(pk=petition.pk).status == "replied"
