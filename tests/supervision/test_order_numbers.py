"""督办单 numbers (supervision.numbering) and the order's PDF: 诸暨〔2026〕督字第N号 per county of the
issuing unit and year, sequential, and the document scoped like the order's page."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import SupervisionOrder
from supervision.orders import issue_order
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def _order(issuer, case, target):
    return issue_order(
        issuer, case.pk, target_unit=target, required_action="限期化解并书面回复",
        target_date=timezone.localdate() + datetime.timedelta(days=3),
    )  # fmt: skip


def test_orders_are_numbered_per_county_and_year_in_sequence(demo):
    mediator, county, town = demo["xianjin_mediator"], demo["zhuji_supervisor"], demo["fengqiao_supervisor"]
    year = timezone.localdate().year
    numbers = [
        _order(issuer, new_dispute(mediator), mediator.unit).number for issuer in (county, town, county)
    ]
    # The town centre lies in 诸暨 too: one series for the county, whichever level issues.
    assert numbers == [f"诸暨〔{year}〕督字第{n}号" for n in (1, 2, 3)]


def test_a_refused_order_burns_no_number(demo):
    from cases.transitions import TransitionError

    mediator, county = demo["xianjin_mediator"], demo["zhuji_supervisor"]
    first = _order(county, new_dispute(mediator), mediator.unit)
    with pytest.raises(TransitionError):
        _order(county, new_dispute(mediator), county.unit)  # to itself: refused inside the transaction
    second = _order(county, new_dispute(mediator), mediator.unit)
    assert int(second.number.split("第")[1][:-1]) == int(first.number.split("第")[1][:-1]) + 1


def test_automatic_orders_are_numbered_in_the_same_series(demo):
    from supervision.reminders import scan, send
    from tests.supervision.test_reminders import NOW, case_due

    case_due(demo, datetime.date(2026, 11, 10))
    case_due(demo, datetime.date(2026, 11, 10), handler="fengqiao_handler")
    scan(NOW)
    send(NOW)
    numbers = sorted(SupervisionOrder.objects.values_list("number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"诸暨〔{year}〕督字第{n}号" for n in (1, 2)]


def test_the_order_pdf_has_its_number_in_chinese_glyphs_for_the_two_units_only(client, demo, tmp_path):
    mediator, county = demo["xianjin_mediator"], demo["zhuji_supervisor"]
    order = _order(county, new_dispute(mediator), mediator.unit)
    url = reverse("supervision:order_pdf", args=[order.pk])
    for user in (county, mediator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert order.number in text and "督办事项" in text and "限期化解并书面回复" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # real Chinese glyphs, not boxes from a Latin font
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    # A unit that neither issued nor received the order gets no PDF: as for a missing one.
    client.force_login(demo["zhuji_handler"])  # a county department the case was never assigned to
    assert client.get(url).status_code == 404


def test_the_order_page_and_list_show_the_number_and_offer_print_and_pdf(client, demo):
    mediator, county = demo["xianjin_mediator"], demo["zhuji_supervisor"]
    order = _order(county, new_dispute(mediator), mediator.unit)
    client.force_login(mediator)
    pdf = reverse("supervision:order_pdf", args=[order.pk])
    for page in (reverse("supervision:orders"), reverse("supervision:reply", args=[order.pk])):
        text = client.get(page).content.decode()
        assert order.number in text and pdf in text and "data-print" in text
