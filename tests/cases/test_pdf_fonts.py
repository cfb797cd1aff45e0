"""The documents' cut-down Chinese faces (cases.pdf_fonts): the same page as with the whole faces,
every character still drawn, and only the small faces embedded when the text allows it."""

import shutil
import subprocess

import pytest
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from cases import pdf_fonts
from cases.pdf import STATIC_DIR, StaticOnlyFetcher, html_to_pdf

pytestmark = pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils is not installed")

DOCUMENT = """<html><body><h1>人民调解结案报告</h1><p class="number">诸暨〔2026〕调字第0020号</p>
<table><tr><th>纠纷简况</th><td>赵岚荣与何英房屋租赁押金纠纷，金额20000元（含利息）。</td></tr>
<tr><th>区划及地点</th><td>浙江省绍兴市诸暨市暨阳街道先进村；2026年11月24日 22:17</td></tr></table>
<h2>调解经过</h2><div class="body"><p>双方陈述事实，调解员释法说理：“依法、自愿、平等”。①②③ — ……</p></div>
<p class="date">2026年12月8日</p></body></html>"""


def faces(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "faces.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def page_png(pdf: bytes, tmp_path, name: str) -> bytes:
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / f"{name}.pdf"),
         str(tmp_path / name)],
        check=True,
    )  # fmt: skip
    return (tmp_path / f"{name}.png").read_bytes()


def with_whole_faces(html: str) -> bytes:
    """The document as it was made before the cut-down faces: the report stylesheet alone, so the
    families it names first are unknown and fontconfig gives the system's Noto CJK."""
    fetcher, fonts = StaticOnlyFetcher(), FontConfiguration()
    sheet = CSS(filename=str(STATIC_DIR / "reports" / "report.css"), url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[sheet], font_config=fonts)


@pytest.fixture
def cut_down():
    css = pdf_fonts.font_faces_css()
    if not css:
        pytest.fail("the cut-down faces were not made: is libharfbuzz-subset0 or fonts-noto-cjk missing?")
    return css


def test_the_repertoire_holds_gb2312_and_the_province_s_place_names():
    points = set(pdf_fonts.repertoire())
    hanzi = {ord(bytes((row, cell)).decode("gb2312")) for row in range(0xB0, 0xF8) for cell in range(0xA1, 0xFF)
             if (row, cell) not in {(0xD7, c) for c in range(0xFA, 0xFF)}}  # fmt: skip
    assert len(hanzi) == 6763 and hanzi <= points
    assert {ord(c) for c in pdf_fonts.PLACE_NAMES + "，。：；（）〔〕“”—…①0aZ"} <= points
    assert ord("堃") not in points  # a rare character of a personal name: drawn from the whole face


def test_a_document_within_the_repertoire_embeds_only_the_cut_down_faces(cut_down, tmp_path):
    listed = faces(html_to_pdf(DOCUMENT), tmp_path)
    embedded = [line.split()[0] for line in listed.splitlines()[2:]]
    assert embedded and all("CJK-SC-GB2312" in name for name in embedded), listed
    assert any("Serif" in name for name in embedded) and any("Sans" in name for name in embedded)


def test_the_cut_down_faces_draw_the_same_page_as_the_whole_faces(cut_down, tmp_path):
    before, after = with_whole_faces(DOCUMENT), html_to_pdf(DOCUMENT)
    assert "GB2312" not in faces(before, tmp_path) and "GB2312" in faces(after, tmp_path)
    assert page_png(after, tmp_path, "after") == page_png(before, tmp_path, "before")
    assert len(after) < len(before) / 2  # the subset of a 3.5 MB face is smaller than of a 19 MB one


def test_a_character_beyond_the_repertoire_is_drawn_from_the_whole_face(cut_down, tmp_path):
    """Pango falls back character by character: 堃 comes from the system's whole face, the rest of the
    name from the cut-down one. (The line holding it may sit a fraction of a point lower than with
    the whole face alone, two faces sharing a line; every other line is where it was.)"""
    pdf = html_to_pdf(DOCUMENT.replace("赵岚荣", "赵堃荣"))
    listed = faces(pdf, tmp_path)
    assert "Noto-Sans-CJK-SC-GB2312 " in listed and "Noto-Sans-CJK-SC " in listed, listed
    (tmp_path / "rare.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "rare.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "赵堃荣" in text.replace(" ", "")


def test_a_face_is_cut_once_and_a_new_repertoire_replaces_its_file(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    ffi, fc, hb, hbs = pdf_fonts._libraries()
    pattern = pdf_fonts.FACES[0][2]
    first = pdf_fonts._made(ffi, fc, hb, hbs, pattern, pdf_fonts.repertoire())
    written = first.stat().st_mtime_ns
    assert pdf_fonts._made(ffi, fc, hb, hbs, pattern, pdf_fonts.repertoire()) == first
    assert first.stat().st_mtime_ns == written
    other = pdf_fonts._made(ffi, fc, hb, hbs, pattern, pdf_fonts.repertoire()[:200])
    assert other != first and not first.exists() and list((tmp_path / "fonts").iterdir()) == [other]


def test_the_fetcher_reads_the_faces_and_still_nothing_else_outside_static(cut_down, settings, tmp_path):
    face = next(pdf_fonts.font_dir().glob("*.otf"))
    settings.VAR_DIR = tmp_path
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / face.name).write_bytes(face.read_bytes())
    (tmp_path / "secret.txt").write_text("机密")
    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch((tmp_path / "fonts" / face.name).as_uri()).read(4) == b"OTTO"
    for path in ("/etc/passwd", tmp_path / "secret.txt", tmp_path / "fonts" / ".." / "secret.txt"):
        with pytest.raises(ValueError):
            fetcher.fetch(f"file://{path}")


def test_only_the_face_asked_for_is_cut_never_fontconfig_s_nearest_substitute():
    ffi, fc, hb, hbs = pdf_fonts._libraries()
    assert pdf_fonts._system_face(ffi, fc, "Noto Sans CJK SC:weight=200")[0].endswith("Bold.ttc")
    assert pdf_fonts._system_face(ffi, fc, "Noto Sans CJK SC:weight=50") is None  # no light face here
    assert pdf_fonts._system_face(ffi, fc, "No Such Family:weight=80") is None
