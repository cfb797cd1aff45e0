"""Pages with personal data are never cached (ASVS 14.3.2), and personal data stays out of URLs
(ASVS 14.2.1): no GET form or link of ours carries an ID number, a phone or an address."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from petitions.workflow import accept
from tests.dispute_helpers import archived, new_dispute
from tests.petitions.helpers import new_petition

ROOT = Path(__file__).resolve().parents[2]


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_every_signed_in_page_with_personal_data_is_no_store(client, demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    archived(dispute, demo["xianjin_mediator"])  # its closure report exists from then on
    petition = new_petition(demo["zhuji_petition_clerk"])
    accept(petition.pk, demo["zhuji_petition_clerk"])  # so that its acceptance notice exists
    client.force_login(demo["zhuji_supervisor"])  # sees full values
    urls = [
        reverse("home"),
        reverse("disputes:list"),
        reverse("disputes:detail", args=[dispute.pk]),
        reverse("disputes:file_index", args=[dispute.pk]),
        reverse("disputes:pdf", args=[dispute.pk, "closure"]),
        reverse("disputes:export"),
        reverse("petitions:list"),
        reverse("petitions:detail", args=[petition.pk]),
        reverse("petitions:pdf", args=[petition.pk, "acceptance"]),
        reverse("petitions:export"),
        reverse("supervision:drilldown") + "?bucket=open",
        reverse("supervision:notifications"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), f"{url}: {response.get('Cache-Control')}"
        assert "private" in response["Cache-Control"]
    # The county administrator's user pages in the admin show staff phones.
    client.force_login(demo["zhuji_administrator"])
    response = client.get(reverse("admin:accounts_user_change", args=[demo["xianjin_mediator"].pk]))
    assert response.status_code == 200 and _no_store(response)


@pytest.mark.django_db
def test_denied_and_missing_pages_are_no_store_too(client, demo):
    client.force_login(demo["xianjin_grid_worker"])
    assert _no_store(client.get(reverse("disputes:detail", args=[999999])))  # 404
    assert _no_store(client.get(reverse("supervision:dashboard")))  # 403


def test_get_forms_have_no_personal_data_fields():
    from mediation.forms import DisputeFilterForm
    from petitions.forms import PetitionFilterForm

    personal = {"id_number", "phone", "address", "name", "credit_code"}
    for form in (DisputeFilterForm, PetitionFilterForm):
        assert not personal & set(form.base_fields), form


def test_templates_put_no_personal_data_in_links_or_get_forms():
    """A link or a GET form built from an ID number, phone or address would put it in server logs
    and browser history."""
    offending = []
    link = re.compile(r"""(?:href|action|hx-get|src)=["'][^"']*(?:id_number|phone|address)""")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        offending += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in link.finditer(text)]
        for form in re.finditer(r"<form[^>]*method=[\"']?get[^>]*>(.*?)</form>", text, re.S | re.I):
            if re.search(r"name=[\"'](?:id_number|phone|address)", form.group(1)):
                offending.append(f"{path.relative_to(ROOT)}: GET form with a personal-data field")
    assert not offending, offending


@pytest.mark.django_db
def test_list_search_never_matches_id_numbers(client, demo):
    """A list's address never searches by ID number (that would invite people to type numbers into a
    GET URL): the posted filter form turns a whole number into its keyed digest
    (tests/cases/test_search_numbers.py), and intake and the person look-up take numbers over POST."""
    new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    response = client.get(reverse("disputes:list"), {"q": "11010519491231002X"})
    assert response.status_code == 200
    assert "张三明" not in response.content.decode()
    response = client.get(reverse("disputes:list"), {"q": "张三明"})
    assert "张三明" in response.content.decode()
