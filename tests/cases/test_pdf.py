"""PDF documents: real text, Chinese glyphs (page-1 PNGs in artifacts/pdf for people to look at),
and a fetcher that reaches nothing outside the project's static files."""

import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.pdf import render_pdf
from mediation import workflow
from tests.dispute_helpers import new_dispute, yesterday

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed"),
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"


def text_of(pdf: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / name)], check=True
    )
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def agreed_dispute(demo, **extra):
    m = demo["xianjin_mediator"]
    d = new_dispute(m, **extra)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    workflow.record_session(
        d.pk,
        m,
        held_at=timezone.now(),
        place="村调解室",
        attendees="双方",
        record="释法说理",
        outcome="agreed",
    )
    workflow.record_agreement(
        d.pk, m, form="written", terms="李四于三日内疏通排水沟。", effective_date=yesterday()
    )
    return d


def archived_dispute(demo):
    """The closure report exists once the file is archived (the archive step's ``documents``)."""
    m = demo["xianjin_mediator"]
    d = agreed_dispute(demo)
    workflow.record_follow_up(d.pk, m, date=timezone.localdate(), method="phone", satisfaction="satisfied")
    workflow.archive(d.pk, m)
    return d


def test_agreement_and_closure_report(client, demo, tmp_path):
    d = archived_dispute(demo)
    client.force_login(demo["xianjin_mediator"])
    for document, title in (("agreement", "人民调解协议书"), ("closure", "人民调解结案报告")):
        response = client.get(reverse("disputes:pdf", args=[d.pk, document]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        text = text_of(response.content, tmp_path, f"dispute-{document}")
        assert title.replace("", " ").split() and title in text.replace(" ", "")
        flat = text.replace(" ", "")
        assert d.number in flat and "张三明" in flat and "李四" in flat
        assert "第1页共1页" in flat or "第1页共2页" in flat


def test_pdf_masks_for_roles_without_full_access(client, demo, tmp_path):
    d = archived_dispute(demo)
    client.force_login(demo["xianjin_grid_worker"])
    flat = text_of(
        client.get(reverse("disputes:pdf", args=[d.pk, "closure"])).content, tmp_path, "masked"
    ).replace(" ", "")
    assert "张*明" in flat and "张三明" not in flat and "11010519491231002X" not in flat


def test_other_village_gets_404_for_the_pdf(client, demo):
    d = archived_dispute(demo)
    client.force_login(demo["yangchun_mediator"])
    assert client.get(reverse("disputes:pdf", args=[d.pk, "closure"])).status_code == 404


def test_petition_letters(client, demo, tmp_path):
    from petitions import workflow as wf
    from tests.petitions.helpers import new_petition

    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    wf.forward(p.pk, clerk, handler.unit)
    wf.accept(p.pk, handler)
    wf.reply(p.pk, handler, outcome="supported", text="责令支付拖欠工资。")
    client.force_login(clerk)
    for document, title in (("acceptance", "信访事项受理告知书"), ("opinion", "信访事项处理意见书")):
        response = client.get(reverse("petitions:pdf", args=[p.pk, document]))
        flat = text_of(response.content, tmp_path, f"petition-{document}").replace(" ", "")
        assert title in flat and p.number in flat and "陈建国" in flat
    assert client.get(reverse("petitions:pdf", args=[p.pk, "review"])).status_code == 404


class CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802 - the http.server API
        CountingHandler.hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


def test_fetcher_reaches_neither_files_nor_the_network(tmp_path, settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-7f3a9c")
    template_dir = tmp_path / "templates" / "reports"
    template_dir.mkdir(parents=True)
    (template_dir / "hostile.html").write_text(
        f"""{{% extends "reports/base.html" %}}{{% block content %}}<h1>恶意输入测试</h1>
        <img src="file:///etc/passwd"><img src="file://{canary}"><img src="{url}/x.png">
        <link rel="stylesheet" href="{url}/evil.css"><link rel="attachment" href="file://{canary}">
        <style>@import url("{url}/import.css"); body {{ background: url("file://{canary}"); }}</style>
        <p>正文照常显示</p>{{% endblock %}}"""
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    pdf = render_pdf("reports/hostile.html", {})
    server.shutdown()
    text = text_of(pdf, tmp_path, "hostile").replace(" ", "")
    assert "正文照常显示" in text
    assert CountingHandler.hits == 0
    assert b"CANARY-7f3a9c" not in pdf and b"root:x:0:0" not in pdf
    assert b"/EmbeddedFile" not in pdf


def test_url_typed_into_a_field_is_text(client, demo, tmp_path):
    d = agreed_dispute(demo, summary='<img src="file:///etc/passwd"> http://169.254.169.254/')
    m = demo["xianjin_mediator"]  # the closure report exists once the file is archived
    workflow.record_follow_up(d.pk, m, date=timezone.localdate(), method="phone", satisfaction="satisfied")
    workflow.archive(d.pk, m)
    client.force_login(demo["xianjin_mediator"])
    text = text_of(client.get(reverse("disputes:pdf", args=[d.pk, "closure"])).content, tmp_path, "typed-url")
    assert "file:///etc/passwd" in text and "169.254.169.254" in text
