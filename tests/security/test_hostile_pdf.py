"""Hostile text in the PDF documents (reliability.md §5, PDF).

tests/cases/test_pdf.py proves the fetcher on a hand-written template. Here the same kinds of URL are
*typed into the forms* (real POSTs into every free-text field that reaches a PDF), and every
document type is rendered through its view: a local HTTP listener receives 0 requests, a canary
file outside static never shows up, and nothing is embedded. Then every payload of the list is
rendered into the documents: each long field carries all payloads at once (in the first case of
each type), each list (parties, sessions, petitioners) one item per payload, and each short single
field (summary, place, performance, follow-up) the payloads in groups that fit its length.
"""

import datetime
import http.server
import shutil
import subprocess
import threading
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import COUNTY, VILLAGES
from accounts.models import Region
from mediation import workflow
from mediation.models import Dispute, DisputeCategory, RiskLevel
from petitions import workflow as wf
from petitions.models import Petition, PetitionCategory
from tests.dispute_helpers import intake_key, intake_post
from tests.security.hostile_checks import Tally, submit
from tests.security.hostile_payloads import PAYLOADS, Payload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.requires_postgres,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed"),
]


class Listener(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802 - the http.server API
        Listener.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    Listener.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def pdf_text(client, url, tmp_path) -> tuple[bytes, str]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
    assert response.content.startswith(b"%PDF-")
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return response.content, text


def fetch_payloads(url: str, canary) -> list[str]:
    return [
        f'<img src="{url}/img.png">',
        f"<img src='file://{canary}'>",
        '<img src="file:///etc/passwd">',
        f'<link rel="attachment" href="file://{canary}">',
        f'<link rel="stylesheet" href="{url}/link.css">',
        f"<style>@import url({url}/import.css);</style>",
        f"@import url({url}/bare-import.css);",
        f'<p style="background: url({url}/style-attr.png)">x</p>',
        f"url({url}/bare-url.png)",
        f'<svg><image href="{url}/svg.png"/></svg>',
        f'<object data="{url}/object"></object><embed src="{url}/embed"><iframe src="{url}/frame"></iframe>',
        f'<a href="{url}/link">链接</a>',
        f"url(file://{canary})",
        f"{url}/plain",
    ]


def test_urls_typed_into_forms_fetch_nothing(client, demo, listener, tmp_path, request):
    canary = tmp_path / "canary.txt"
    secret = f"CANARY-{uuid.uuid4().hex}"
    canary.write_text(secret)
    texts = fetch_payloads(listener, canary)
    mediator, clerk, handler = demo["xianjin_mediator"], demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    tally = Tally()
    documents = []
    for i, text in enumerate(texts):
        payload = Payload("fetch", text)
        client.force_login(mediator)
        base = {
            "region": VILLAGES["xianjin"], "summary": "纠纷", "source": "walk_in",
            "category": DisputeCategory.objects.get(code="neighbour").pk,
            "risk_level": RiskLevel.objects.get(code="yellow").pk, "facts": "事实", "people_involved": "2",
            "applicant_name": "张三明", "applicant_phone": f"138{i:08d}", "respondent_name": "李四",
            "respondent_phone": f"139{i:08d}", "place": "", "applicant_address": "", "respondent_address": "",
        }  # fmt: skip
        base = intake_post(base)
        fields = [intake_key(k) for k in ("summary", "facts", "place", "applicant_name", "applicant_address",
                                          "respondent_name", "respondent_address")]  # fmt: skip
        response, _o = submit(client, reverse("disputes:create"), base, fields, payload, tally=tally,
                              form_name="dispute intake")  # fmt: skip
        pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
        workflow.accept(pk, mediator)
        workflow.start_mediation(pk, mediator)
        # Not before the registration (mediation.dates): this minute, not an hour ago (after midnight
        # that was the day before).
        held = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        steps = [
            ("record_session", {"held_at": held, "place": "室", "attendees": "双方", "record": "笔录",
                                "outcome": "continue"}, ["place", "attendees", "record"]),
            ("agree", {"form": "written", "terms": "赔偿", "effective_date": yesterday}, [
                "responsibilities", "terms", "performance_manner", "performance_place", "signed_by"]),
            ("follow_up", {"date": yesterday, "method": "visit", "satisfaction": "satisfied"},
             ["performance", "new_risks"]),
        ]  # fmt: skip
        for action, step_base, step_fields in steps:
            submit(client, reverse("disputes:action", args=[pk, action]), step_base, step_fields, payload,
                   tally=tally, form_name=action)  # fmt: skip
        workflow.archive(pk, mediator)  # the closure report exists once the file is archived
        documents += [reverse("disputes:pdf", args=[pk, d]) for d in ("agreement", "closure")]

        client.force_login(clerk)
        base = {
            "channel": "letter", "petition_kind": "claim", "region": COUNTY, "received_on": yesterday,
            "category": PetitionCategory.objects.get(code="wage_arrears").pk, "summary": "欠薪",
            "content": "内容", "head_count": "1", "name": "陈建国", "phone": f"137{i:08d}", "repeat_choice": "new",
        }  # fmt: skip
        response, _o = submit(client, reverse("petitions:create"), base, ["summary", "content", "demands", "name",
                              "address"], payload, tally=tally, form_name="petition intake")  # fmt: skip
        ppk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
        wf.forward(ppk, clerk, handler.unit)
        wf.accept(ppk, handler)
        client.force_login(handler)
        submit(client, reverse("petitions:action", args=[ppk, "reply"]), {"outcome": "supported"}, ["text"],
               payload, tally=tally, form_name="petition reply")  # fmt: skip
        wf.record_delivery(
            ppk, handler, document="opinion", method="in_person", delivered_on=timezone.localdate()
        )
        wf.request_review(ppk, clerk, requested_on=timezone.localdate())
        client.force_login(clerk)  # the county bureau, one level above the department, decides (§35)
        submit(client, reverse("petitions:action", args=[ppk, "decide_review"]), {"outcome": "upheld"},
               ["opinion"], payload, tally=tally, form_name="petition review opinion")  # fmt: skip
        documents += [reverse("petitions:pdf", args=[ppk, d]) for d in ("acceptance", "opinion", "review")]

    client.force_login(mediator)
    for url in documents:
        if "/petitions/" in url:
            client.force_login(clerk)
        data, text = pdf_text(client, url, tmp_path)
        assert secret.encode() not in data and secret not in text, url
        assert b"root:x:0:0" not in data and "root:x:0:0" not in text, url
        assert b"/EmbeddedFile" not in data, url
        tally.rendered("pdf")
    assert Listener.hits == [], Listener.hits
    # The typed text is shown as text: the listener's address is on the page, not fetched.
    assert listener.removeprefix("http://") in text.replace("\n", "")
    tally.write("pdf-fetch", request)


def groups(texts: list[str], limit: int) -> list[str]:
    """Payloads joined by spaces into strings of at most ``limit`` characters."""
    out, current = [], ""
    for t in texts:
        if len(t) > limit:
            continue
        if current and len(current) + 1 + len(t) > limit:
            out.append(current)
            current = ""
        current = f"{current} {t}" if current else t
    return [*out, current] if current else out


@pytest.mark.parametrize("kind", ["dispute", "petition"])
def test_every_payload_renders_in_every_pdf(client, demo, listener, tmp_path, request, kind):
    """Built through the workflow functions (the forms are the other suites' subject), rendered
    through the views; disputes and petitions side by side (pytest-xdist)."""
    mediator, clerk, handler = demo["xianjin_mediator"], demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    # What the forms would keep: CharField strips, refuses NUL (tests above show the message).
    texts = [p.expected for p in PAYLOADS if p.expected and "\x00" not in p.expected]
    everything = "\n".join(texts)
    short = groups(texts, 200)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    village = Region.objects.get(code=VILLAGES["xianjin"])
    category, risk = DisputeCategory.objects.get(code="neighbour"), RiskLevel.objects.get(code="yellow")
    tally = Tally()

    def dispute(summary, *, with_lists):
        # The first dispute carries every payload in each long field and list; the others are there
        # for the short single fields, each a group (their long fields would render the same text
        # again: ~124,000 characters a field, most of the run's time).
        long = everything if with_lists else "事实"
        a, b = {"name": "张三明"}, {"name": "李四"}
        d = workflow.register_dispute(
            mediator, parties=[(a, "applicant"), (b, "respondent")], region=village, summary=summary,
            source="walk_in", category=category, risk_level=risk, place=summary, facts=long,
        )  # fmt: skip
        workflow.accept(d.pk, mediator)
        if with_lists:
            for t in texts:
                if len(t) <= 100:
                    workflow.add_party(d.pk, mediator, role="third_party", name=t, address=t[:200])
        workflow.start_mediation(d.pk, mediator)
        held = timezone.now()  # not before the registration (mediation.dates)
        for t in texts if with_lists else ["笔录"]:
            workflow.record_session(d.pk, mediator, held_at=held, place=t[:200], attendees=t[:500], record=t,
                                    outcome="continue")  # fmt: skip
        workflow.record_agreement(
            d.pk, mediator, form="written", terms=long, responsibilities=long, signed_by=long,
            performance_manner=summary, performance_place=summary, effective_date=yesterday,
        )  # fmt: skip
        # One follow-up closes the step: it carries the group.
        workflow.record_follow_up(d.pk, mediator, date=yesterday, method="visit", satisfaction="satisfied",
                                  performance=summary, new_risks=summary)  # fmt: skip
        workflow.archive(d.pk, mediator)  # the closure report exists once the file is closed
        return d

    disputes, petitions = [], []
    if kind == "dispute":
        disputes = [dispute(short[0], with_lists=True)] + [dispute(s, with_lists=False) for s in short[1:]]
    for k, summary in enumerate(short if kind == "petition" else []):
        people = [{"name": t} for t in texts if len(t) <= 100] if k == 0 else [{"name": summary[:100]}]
        long = everything if k == 0 else "内容"  # as for disputes: the first carries the long fields
        p = wf.register_petition(
            clerk, petitioners=people, region=Region.objects.get(code=COUNTY), summary=summary, channel="letter",
            petition_kind="claim", category=PetitionCategory.objects.get(code="wage_arrears"),
            content=long, demands=long, received_on=yesterday,
        )  # fmt: skip
        wf.forward(p.pk, clerk, handler.unit)
        wf.accept(p.pk, handler)
        wf.reply(p.pk, handler, outcome="supported", text=long)
        wf.record_delivery(
            p.pk, handler, document="opinion", method="in_person", delivered_on=timezone.localdate()
        )
        wf.request_review(p.pk, clerk, requested_on=timezone.localdate())
        # The body one level above the department decides (§35): the county bureau, the clerk's unit.
        wf.decide_review(p.pk, clerk, outcome="upheld", opinion=long)
        petitions.append(p)

    client.force_login(mediator)
    for d in disputes:
        for document in ("agreement", "closure"):
            data, text = pdf_text(client, reverse("disputes:pdf", args=[d.pk, document]), tmp_path)
            assert Dispute.objects.get(pk=d.pk).number in text.replace(" ", "")
            assert b"/EmbeddedFile" not in data
            tally.rendered(f"dispute {document} pdf")
    client.force_login(clerk)
    for p in petitions:
        for document in ("acceptance", "opinion", "review"):
            data, text = pdf_text(client, reverse("petitions:pdf", args=[p.pk, document]), tmp_path)
            assert Petition.objects.get(pk=p.pk).number in text.replace(" ", "")
            assert b"/EmbeddedFile" not in data
            tally.rendered(f"petition {document} pdf")
    assert Listener.hits == []
    for t in texts:
        tally.add("pdf documents", "every field", Payload("pdf", t), "stored")
    summary = tally.write(f"pdf-payloads-{kind}", request)
    assert summary["payloads"] >= 290  # all but the NUL ones, which the forms refuse
