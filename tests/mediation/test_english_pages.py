"""English stays complete (issue 17 "Languages"): with English active, the dispute list, the case page,
its timeline and its deadline panel show no Chinese name of a category, risk level, deadline rule or
workflow step; with Chinese (the default) the pages are as before. Also the timeline shows a session's
outcome by its label, never the code."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases.i18n import in_reader_language
from cases.models import DeadlineRule
from mediation import workflow
from mediation.models import DisputeCategory, RiskLevel, SessionOutcome
from petitions.models import PetitionCategory
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def data_names():
    """Every Chinese name of the reference tables, longest first (a short one may be part of a longer)."""
    names = [c.name for c in DisputeCategory.objects.all()] + [r.name for r in RiskLevel.objects.all()]
    names += [r.label for r in DeadlineRule.objects.all()] + [c.name for c in PetitionCategory.objects.all()]
    return sorted(set(names), key=len, reverse=True)


def shown_names(html):
    """The reference names that stand as the whole text of an element (a typed summary or content
    may well contain the words 拖欠工资 without naming the category)."""
    return [name for name in data_names() if re.search(rf">\s*{re.escape(name)}\s*<", html)]


def page(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def dispute_in_mediation(demo):
    mediator = demo["xianjin_mediator"]
    d = new_dispute(mediator)
    workflow.accept(d.pk, mediator)
    workflow.start_mediation(d.pk, mediator)
    workflow.record_session(
        d.pk, mediator, held_at=timezone.now(), place="村调解室", attendees="张三明、李四",
        record="双方同意疏通排水沟。", outcome=SessionOutcome.AGREED,
    )  # fmt: skip
    return d


def test_every_reference_row_has_an_english_name():
    for model in (DisputeCategory, RiskLevel, PetitionCategory):
        assert not model.objects.filter(name_en="").exists(), model
        assert not any(CJK.search(row.name_en) for row in model.objects.all())
    assert not DeadlineRule.objects.filter(label_en="").exists()


def test_names_follow_the_active_language_and_fall_back_to_chinese():
    category = DisputeCategory.objects.get(code="neighbour")
    with translation.override("en"):
        assert str(category) == "Neighbour dispute"
        assert str(DeadlineRule.objects.get(code="mediation_period")) == "Mediation period"
        assert str(DisputeCategory(name="新类别", name_en="")) == "新类别"  # added in Chinese only
    with translation.override("zh-hans"):
        assert str(category) == "邻里纠纷"
        assert str(DeadlineRule.objects.get(code="mediation_period")) == "调解期限"


def test_english_dispute_pages_show_no_chinese_data_names(client, demo, dispute_in_mediation):
    d = dispute_in_mediation
    client.force_login(demo["xianjin_mediator"])
    for url in (reverse("disputes:detail", args=[d.pk]), reverse("disputes:list")):
        html = page(client, url, "en")
        assert shown_names(html) == [], url
        assert "Neighbour dispute" in html and "Yellow (ordinary)" in html
    detail = page(client, reverse("disputes:detail", args=[d.pk]), "en")
    assert "Mediation period" in detail  # the deadline panel, and how its date was computed:
    assert "days after" in detail and "(start day not counted)" in detail and "起算日不计入" not in detail
    # The timeline: each step in English, the session's outcome by its label.
    for text in ("Dispute registered", "Accept", "Start mediation", "Mediation session recorded"):
        assert text in detail, text
    for chinese in ("纠纷登记", "开始调解", "记录调解"):
        assert chinese not in detail
    assert "agreement reached" in detail and "：agreed" not in detail


def test_chinese_dispute_pages_are_unchanged(client, demo, dispute_in_mediation):
    d = dispute_in_mediation
    client.force_login(demo["xianjin_mediator"])
    detail = page(client, reverse("disputes:detail", args=[d.pk]), "zh-hans")
    for text in (
        "邻里纠纷",
        "黄色（一般类）",
        "调解期限",
        "起算日不计入",
        "纠纷登记",
        "开始调解",
        "结果：</span>达成协议",
    ):
        assert text in detail, text
    assert "Neighbour dispute" not in detail and "agreed<" not in detail
    assert {"邻里纠纷", "黄色（一般类）"} <= set(shown_names(detail))  # the check above does see names
    listing = page(client, reverse("disputes:list"), "zh-hans")
    assert "邻里纠纷" in listing and "Neighbour dispute" not in listing


def test_english_petition_page_shows_its_category_and_deadline_in_english(client, demo):
    clerk = demo["zhuji_petition_clerk"]
    p = new_petition(clerk, summary="某公司三个月未发工资")  # not the category's own words
    client.force_login(clerk)
    html = page(client, reverse("petitions:detail", args=[p.pk]), "en")
    assert "Wage arrears" in html and "Registration and forwarding or assignment of a petition" in html
    assert "Petition registered" in html and "信访事项登记" not in html
    assert shown_names(html) == []


def test_stored_texts_are_read_back_in_the_readers_language():
    with translation.override("en"):
        assert in_reader_language("纠纷登记") == "Dispute registered"
        # A message with a filled part: the fixed words translated, the part translated where it can be.
        assert in_reader_language("已登记送达：处理意见书").startswith("Delivery recorded: ")
        assert in_reader_language("张三明与李四排水沟纠纷") == "张三明与李四排水沟纠纷"  # typed text stays
        # A notice title: heading and case number (supervision.handoffs).
        assert (
            in_reader_language("督办单：诸暨〔2026〕访字第0087号")
            == "Supervision order: 诸暨〔2026〕访字第0087号"
        )
    with translation.override("zh-hans"):
        assert in_reader_language("Dispute registered") == "纠纷登记"
        assert in_reader_language("纠纷登记") == "纠纷登记"


def test_how_a_due_date_was_computed_is_shown_in_the_readers_language(client, demo):
    """The sentence is stored in the language of whoever caused the computation; each reader sees it
    in their own."""
    mediator = demo["xianjin_mediator"]
    with translation.override("en"):
        d = new_dispute(mediator)
    assert "start day not counted" in d.deadlines.get().computation
    client.force_login(mediator)
    chinese = page(client, reverse("disputes:detail", args=[d.pk]), "zh-hans")
    assert "起算日不计入" in chinese and "start day not counted" not in chinese
    english = page(client, reverse("disputes:detail", args=[d.pk]), "en")
    assert "start day not counted" in english and "起算日不计入" not in english
