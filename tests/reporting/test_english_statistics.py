"""Statistics in the reader's language (issue 17 "Languages"): with English active the category
columns carry the categories' English names, units, the total row, the period and the fixed parts
of the xlsx and the PDF are English; with Chinese (the default) they are as before. Place names
are data and stay as the division list writes them."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mediation.models import DisputeCategory
from petitions.models import PetitionCategory
from tests.reporting.mediation_month import build as build_disputes
from tests.reporting.petition_month import COUNTY, build

pytestmark = pytest.mark.django_db
OCTOBER = {"region": COUNTY, "month": "2026-10"}
CJK_TEXT = re.compile(r"[^<>\"\s\u3000·]*[\u4e00-\u9fff][^<>\"\s\u3000·]*")


@pytest.fixture
def statistician(client, demo):
    build()
    build_disputes(demo["zhuji_mediator"])
    client.force_login(demo["zhuji_statistician"])
    return client


def get(client, name, slug, language):
    client.cookies["django_language"] = language
    response = client.get(reverse(name, args=[slug]), OCTOBER)
    assert response.status_code == 200
    return response


def chinese_on_page(html, demo):
    """The Chinese words of a page that are not place names or the user's own name and unit."""
    from accounts.models import Region

    places = set(Region.objects.filter(code__startswith="330681").values_list("name", flat=True))
    user = demo["zhuji_statistician"]
    known = places | {user.get_full_name(), user.username, str(user.unit)}
    return {word for word in CJK_TEXT.findall(html) if word not in known}


@pytest.mark.parametrize(
    ("slug", "model", "english", "chinese"),
    [
        ("mediation", DisputeCategory, "Neighbour dispute", "邻里纠纷"),
        ("petitions", PetitionCategory, "Labour and social security", "劳动和社会保障"),
    ],
)
def test_the_page_names_categories_in_the_readers_language(statistician, demo, slug, model, english, chinese):
    assert model.objects.filter(name=chinese, name_en=english).exists()
    html = get(statistician, "reporting:table", slug, "en").content.decode()
    assert f"{english}<span" in html and f"{chinese}<" not in html
    assert "(count)" in html and ">Total<" in html and "October 2026" in html
    assert "（件）" not in html and "合计" not in html and "2026年10月" not in html
    assert chinese_on_page(html, demo) == set()
    html = get(statistician, "reporting:table", slug, "zh-hans").content.decode()
    assert f"{chinese}<span" in html and "（件）" in html and ">合计<" in html and "2026年10月" in html
    assert english not in html


def test_the_workbook_in_english_and_in_chinese(statistician):
    book = load_workbook(io.BytesIO(get(statistician, "reporting:xlsx", "mediation", "en").content))
    assert "How figures are counted" in book.sheetnames
    rows = list(book["By category"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Area")
    assert "Neighbour dispute (count)" in header
    assert any(r and r[0] == "Total" for r in rows)
    texts = [c for r in rows for c in r if isinstance(c, str)]
    assert not [t for t in texts if "件" in t or "合计" in t or "区域" in t]
    book = load_workbook(io.BytesIO(get(statistician, "reporting:xlsx", "mediation", "zh-hans").content))
    assert "口径说明" in book.sheetnames
    rows = list(book["按纠纷类型"].iter_rows(values_only=True))
    assert "邻里纠纷（件）" in next(r for r in rows if r and r[0] == "区域")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_pdf_follows_the_readers_language(statistician, tmp_path):
    def text(language):
        path = tmp_path / f"{language}.pdf"
        path.write_bytes(get(statistician, "reporting:pdf", "mediation", language).content)
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout

    english = text("en")
    assert "Neighbour dispute" in english and "Total" in english and "Definitions" in english
    assert "邻里纠纷" not in english and "合计" not in english and "计算口径" not in english
    chinese = text("zh-hans")
    assert "邻里纠纷" in chinese and "合计" in chinese and "计算口径" in chinese
    assert "Neighbour dispute" not in chinese
