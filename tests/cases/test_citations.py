"""Legal citations in the reader's language (issue 17 "Languages"): a deadline rule's legal basis,
and the citations inside messages (timeline, refusals, help texts), read in English with the
article numbers as figures; Chinese pages show them exactly as before."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases.citations import chinese_numeral, legal_basis
from cases.i18n import in_reader_language
from cases.models import DeadlineRule
from mediation import workflow
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def page(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("chinese", "number"), [("十", 10), ("十二", 12), ("二十", 20), ("三十四", 34), ("一百零五", 105)]
)
def test_article_numbers_are_read_from_chinese_numerals(chinese, number):
    assert chinese_numeral(chinese) == number


def test_every_rules_legal_basis_reads_in_english_and_stays_as_stored_in_chinese():
    rules = list(DeadlineRule.objects.exclude(legal_basis=""))
    assert len(rules) >= 15
    with translation.override("en"):
        for rule in rules:
            assert not CJK.search(legal_basis(rule.legal_basis)), rule.legal_basis
        assert legal_basis("信访工作条例 第三十四条") == "Regulations on Letters and Visits, Art. 34"
        assert legal_basis("信访工作条例 第二十三条第三款") == "Regulations on Letters and Visits, Art. 23(3)"
        assert (
            legal_basis("信访工作条例 第二十二条（交办机关确定）")
            == "Regulations on Letters and Visits, Art. 22 (set by the assigning body)"
        )
        # A rule an administrator adds in the usual form reads in English without an English text.
        assert legal_basis("《中华人民共和国人民调解法》第三十三条") == "People's Mediation Law, Art. 33"
        assert legal_basis("县里的规定") == "县里的规定"  # unknown text stays as typed
    with translation.override("zh-hans"):
        for rule in rules:
            assert legal_basis(rule.legal_basis) == rule.legal_basis


def test_the_petition_page_cites_in_the_readers_language(client, demo):
    clerk = demo["zhuji_petition_clerk"]
    p = new_petition(clerk)
    client.force_login(clerk)
    english = page(client, reverse("petitions:detail", args=[p.pk]), "en")
    assert "(Regulations on Letters and Visits, Art. 22)" in english
    assert "信访工作条例" not in english and "第二十二条" not in english
    chinese = page(client, reverse("petitions:detail", args=[p.pk]), "zh-hans")
    assert "（信访工作条例 第二十二条）" in chinese and "Regulations on Letters" not in chinese


def test_the_dispute_page_cites_in_the_readers_language(client, demo):
    mediator = demo["xianjin_mediator"]
    d = new_dispute(mediator)
    workflow.accept(d.pk, mediator)
    workflow.start_mediation(d.pk, mediator)
    client.force_login(mediator)
    english = page(client, reverse("disputes:detail", args=[d.pk]), "en")
    assert (
        "(Provisions on People&#x27;s Mediation Work, Art. 33 (generally settled within one month))"
        in english
    )
    assert "人民调解工作若干规定" not in english
    chinese = page(client, reverse("disputes:detail", args=[d.pk]), "zh-hans")
    assert "（人民调解工作若干规定 第三十三条（一般在一个月内调结））" in chinese


def test_a_citation_in_the_timeline_reads_in_english_and_stays_chinese(client, demo):
    """人民调解法 §25: the risk report's timeline entry, stored in Chinese by a Chinese user."""
    mediator = demo["xianjin_mediator"]
    d = new_dispute(mediator)
    workflow.accept(d.pk, mediator)
    workflow.start_mediation(d.pk, mediator)
    with translation.override("zh-hans"):  # written by a Chinese user
        workflow.report_risk(
            d.pk, mediator, recipient_kind="police", recipient_name="枫桥派出所", reported_at=timezone.now(),
            content="双方扬言持械报复。",
        )  # fmt: skip
    stored = d.timeline.get(action="report_risk").description
    assert stored == "报告纠纷激化风险（人民调解法第二十五条）"
    with translation.override("en"):
        assert in_reader_language(stored) == "Risk of violence reported (People's Mediation Law, Art. 25)"
    client.force_login(mediator)
    english = page(client, reverse("disputes:detail", args=[d.pk]), "en")
    assert "Risk of violence reported (People&#x27;s Mediation Law, Art. 25)" in english
    assert "人民调解法" not in english
    assert stored in page(client, reverse("disputes:detail", args=[d.pk]), "zh-hans")


def test_messages_cite_in_english_and_keep_their_chinese():
    message = "This case is withheld from that unit (Regulations on Letters and Visits, Art. 30); choose another unit."
    with translation.override("zh-hans"):
        assert translation.gettext(message) == "此案件对该单位回避（信访工作条例第三十条），请选择其他单位。"
    with translation.override("en"):
        assert not CJK.search(translation.gettext(message))


def test_step_names_carry_no_chinese_gloss_in_english(client, demo):
    """A step read in English is English ("Forward", not "Forward (转送)"); Chinese as before."""
    from petitions import workflow as petition_workflow

    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    with translation.override("zh-hans"):
        petition_workflow.forward(p.pk, clerk, handler.unit)
    client.force_login(clerk)
    english = page(client, reverse("petitions:detail", args=[p.pk]), "en")
    assert "Forward" in english and "转送" not in english.split("Timeline", 1)[1]
    chinese = page(client, reverse("petitions:detail", args=[p.pk]), "zh-hans")
    assert "转送" in chinese.split("办理记录", 1)[1]
