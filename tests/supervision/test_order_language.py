"""A 督办单's body in the reader's language (issue 17 "Languages"): the text of an automatic order
is stored as the scan wrote it (Chinese) and read back in English on English pages, with the rule's
English name and the date as it was written; a typed order stays as typed; the PDF is a formal
document and stays Chinese whatever the reader's language, like the case documents."""

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from supervision.models import SupervisionOrder
from supervision.orders import issue_order
from supervision.reminders import scan, send
from tests.dispute_helpers import new_dispute
from tests.supervision.test_reminders import NOW, case_due

pytestmark = pytest.mark.django_db

CHINESE = "协议履行期限 已于 2026年11月10日 到期，现已超期：请抓紧办结，并在本督办单上回复。"
ENGLISH = (
    "Performance of the agreement was due on Nov. 10, 2026 and is overdue: finish it and reply on this order."
)


def automatic_order(demo) -> SupervisionOrder:
    case_due(demo, datetime.date(2026, 11, 10))
    scan(NOW)
    send(NOW)
    return SupervisionOrder.objects.select_related("deadline__rule").get(issuer=None)


def page(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_automatic_order_is_stored_in_chinese_and_read_in_either_language(demo):
    order = automatic_order(demo)
    assert order.required_action == CHINESE  # the record of what was issued
    with translation.override("en"):
        assert order.required_action_shown == ENGLISH
    with translation.override("zh-hans"):
        assert order.required_action_shown == CHINESE


def test_an_order_written_in_english_reads_in_chinese(demo):
    case_due(demo, datetime.date(2026, 11, 10))
    with translation.override("en"):
        scan(NOW)
        send(NOW)
    order = SupervisionOrder.objects.get(issuer=None)
    assert order.required_action == ENGLISH
    with translation.override("zh-hans"):
        assert order.required_action_shown == CHINESE


def test_the_date_stays_the_one_the_order_was_issued_about(demo):
    """A deadline extended after the order: the order still names the date that was missed."""
    order = automatic_order(demo)
    order.deadline.due_date = datetime.date(2026, 12, 10)
    order.deadline.save()
    with translation.override("en"):
        assert "Nov. 10, 2026" in order.required_action_shown


def test_the_order_pages_in_english_show_no_chinese_fixed_text(client, demo):
    order = automatic_order(demo)
    client.force_login(demo["xianjin_mediator"])  # the handling unit, which must reply
    for url in (
        reverse("supervision:reply", args=[order.pk]),
        reverse("supervision:orders"),
        reverse("home"),
    ):
        html = page(client, url, "en")
        assert ENGLISH[:45] in html, url  # the home page's inbox shortens it
        assert "已于" not in html and "协议履行期限" not in html, url
    html = page(client, reverse("supervision:reply", args=[order.pk]), "en")
    assert ENGLISH in html and "issued automatically on escalation" in html
    chinese = page(client, reverse("supervision:reply", args=[order.pk]), "zh-hans")
    assert CHINESE in chinese and "was due on" not in chinese and "逾期自动督办" in chinese


def test_a_typed_order_is_shown_as_typed_and_its_brackets_follow_the_language(client, demo):
    mediator, county = demo["xianjin_mediator"], demo["zhuji_supervisor"]
    dispute = new_dispute(mediator)
    order = issue_order(
        county, dispute.pk, target_unit=mediator.unit, required_action="限期化解并书面回复",
        target_date=timezone.localdate() + datetime.timedelta(days=3),
    )  # fmt: skip
    client.force_login(mediator)
    english = page(client, reverse("disputes:detail", args=[dispute.pk]), "en")
    assert "限期化解并书面回复 (reply due " in english and "（" not in english.split("h-orders-of-case")[1]
    chinese = page(client, reverse("disputes:detail", args=[dispute.pk]), "zh-hans")
    assert "限期化解并书面回复（回复期限 " in chinese
    reply = page(client, reverse("supervision:reply", args=[order.pk]), "en")
    assert f"{county.unit} ({county})" in reply


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_order_pdf_stays_chinese_for_an_english_reader(client, demo, tmp_path):
    order = automatic_order(demo)
    client.force_login(demo["xianjin_mediator"])
    client.cookies["django_language"] = "en"
    response = client.get(reverse("supervision:order_pdf", args=[order.pk]))
    assert response.status_code == 200
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "协议履行期限已于2026年11月10日到期" in flat and "督办事项" in flat
    assert "was due" not in text and "Performance" not in text
