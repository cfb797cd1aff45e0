"""The statistics PDF is rendered in the background when the page is looked at, and the stored one
is served (a frozen month's once); it is served only to a user whose own figures render that same
document, never to another jurisdiction or to a unit that may see fewer cases
(reporting.documents; docs/performance.md, "The statistics PDF")."""

import shutil
import subprocess
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

import cases.pdf
from accounts.models import Region, Unit
from jobs.models import WorkerHeartbeat
from reporting import documents
from reporting.freeze import freeze
from reporting.models import StatisticsDocument
from reporting.periods import Period
from reporting.reports import REPORTS, statistics_data
from reporting.tasks import prepare_statistics_pdf
from tests.reporting.petition_month import COUNTY, FENGQIAO, FENGQIAO_XIANJIN, build, d, petition

pytestmark = pytest.mark.django_db

OCTOBER = {"region": COUNTY, "month": "2026-10"}
PDF = reverse("reporting:pdf", args=["petitions"])
PAGE = reverse("reporting:table", args=["petitions"])
FREEZE = reverse("reporting:freeze", args=["petitions"])


@pytest.fixture
def frozen(demo, client):
    cache.clear()  # no render left pending by an earlier test's page of the same month
    build()
    client.force_login(demo["zhuji_statistician"])  # 诸暨市信访局, the reporting unit
    assert client.post(f"{FREEZE}?region={COUNTY}&month=2026-10").status_code == 302
    return client


def prepare(user, region=COUNTY):
    """What the worker runs for ``user`` after they open the frozen page."""
    return prepare_statistics_pdf(user.pk, "petitions", region, "2026-10-01", "2026-10-31", "zh-hans")


def pdf_text(content, tmp_path) -> str:
    path = tmp_path / "statistics.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_opening_the_frozen_page_asks_the_worker_for_the_document(
    frozen, demo, django_capture_on_commit_callbacks
):
    patch = mock.patch.object(documents.current_app, "signature")
    with patch as signature, django_capture_on_commit_callbacks(execute=True):
        assert frozen.get(PAGE, OCTOBER).status_code == 200
    signature.assert_called_once()
    name, kwargs = signature.call_args.args[0], signature.call_args.kwargs
    user = demo["zhuji_statistician"]
    assert name == documents.PREPARE_TASK
    assert kwargs["args"] == (user.pk, "petitions", COUNTY, "2026-10-01", "2026-10-31", "zh-hans")


def test_a_month_not_frozen_gets_a_new_document_when_its_figures_change(demo, client):
    build()
    user = demo["zhuji_statistician"]
    client.force_login(user)
    assert prepare(user) is True
    first = StatisticsDocument.objects.get()
    with mock.patch.object(cases.pdf, "HTML", wraps=cases.pdf.HTML) as weasy:
        assert client.get(PDF, OCTOBER).content == bytes(first.pdf)
        assert weasy.call_count == 0
        petition("XF-LATE", FENGQIAO_XIANJIN, "letter", "claim", "wage_arrears", d(10, 30))
        changed = client.get(PDF, OCTOBER).content
        assert weasy.call_count == 1 and changed != bytes(first.pdf)
    # The unit's earlier document, of figures no one sees any more, is gone.
    assert [bytes(pdf) for pdf in StatisticsDocument.objects.values_list("pdf", flat=True)] == [changed]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_stored_document_is_served_without_a_layout(frozen, demo, tmp_path):
    assert prepare(demo["zhuji_statistician"]) is True
    assert prepare(demo["zhuji_statistician"]) is False  # stored already: not rendered again
    stored = StatisticsDocument.objects.get()
    with mock.patch.object(cases.pdf, "HTML", wraps=cases.pdf.HTML) as weasy:
        response = frozen.get(PDF, OCTOBER)
    assert weasy.call_count == 0
    assert response.status_code == 200 and response.content == bytes(stored.pdf)
    text = pdf_text(response.content, tmp_path)
    assert "月度信访统计" in text and "2026年10月" in text and "冻结" in text
    total = next(line for line in text.splitlines() if line.strip().startswith("合计"))
    assert total.split()[1] == "7"  # received in October, as frozen


def test_a_download_before_the_worker_renders_and_stores_it(frozen, demo):
    with mock.patch.object(cases.pdf, "HTML", wraps=cases.pdf.HTML) as weasy:
        first = frozen.get(PDF, OCTOBER)
        second = frozen.get(PDF, OCTOBER)
    assert weasy.call_count == 1 and first.content == second.content
    assert StatisticsDocument.objects.count() == 1
    assert prepare(demo["zhuji_statistician"]) is False


def test_the_stored_document_stays_the_same_on_the_following_days(frozen, demo):
    user, report = demo["zhuji_statistician"], REPORTS["petitions"]
    data = statistics_data(user, report, Region.objects.get(code=COUNTY), Period.month(2026, 10))
    html, digest = documents.html_and_digest(report, data)
    later_html, later_digest = documents.html_and_digest(
        report, {**data, "made_on": "制表日期：2026年11月30日。"}
    )
    assert later_digest == digest and later_html != html and "2026年11月30日" in later_html


def test_one_digest_is_one_document_and_another_document_another_digest(demo):
    """The digest is taken from what the document shows, not from its HTML (reporting.documents):
    over users of three units, two levels, two months, live and frozen figures, both languages and
    both reports, equal digests come with equal HTML and differing HTML with differing digests."""
    build()
    county, town = Region.objects.get(code=COUNTY), Region.objects.get(code=FENGQIAO.ljust(12, "0"))
    october, september = Period.month(2026, 10), Period.month(2026, 9)
    users = [demo[n] for n in ("zhuji_statistician", "zhuji_supervisor", "fengqiao_statistician")]
    documents_seen = {}

    def look(user, slug, region, period, language):
        with translation.override(language):
            report = REPORTS[slug]
            html, digest = documents.html_and_digest(report, statistics_data(user, report, region, period))
        documents_seen.setdefault(digest, set()).add(html)

    def every_document():
        for user in users:
            for slug in ("petitions", "mediation"):
                for period in (october, september):
                    for language in ("zh-hans", "en"):
                        regions = [town] if user.username.startswith("fengqiao") else [county, town]
                        for region in regions:
                            look(user, slug, region, period, language)

    every_document()
    live = len(documents_seen)
    freeze(users[0], REPORTS["petitions"].kind, REPORTS["petitions"].module, county, october)
    every_document()
    frozen = len(documents_seen)
    # The same heading and frozen figures, but now a live figure beside them.
    petition("XF-D1", FENGQIAO_XIANJIN, "letter", "claim", "wage_arrears", d(10, 12))
    every_document()
    htmls = [html for seen in documents_seen.values() for html in seen]
    assert all(len(seen) == 1 for seen in documents_seen.values())
    assert len(set(htmls)) == len(htmls) == len(documents_seen) > frozen > live > 8


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_a_unit_that_may_see_fewer_cases_never_gets_the_reporting_units_document(client, demo, tmp_path):
    # 信访工作条例 §30: an accusation against 诸暨市综治中心, counted in the frozen figures, is
    # never shown to that unit, not even as a figure of the stored document.
    build()
    accused = Unit.objects.get(name="诸暨市综治中心")
    petition(
        "XF-H1",
        FENGQIAO_XIANJIN,
        "letter",
        "accusation",
        "political_legal",
        d(10, 9),
        withheld_from_unit=accused,
    )
    client.force_login(demo["zhuji_statistician"])
    client.post(f"{FREEZE}?region={COUNTY}&month=2026-10")
    assert prepare(demo["zhuji_statistician"]) is True
    reported = bytes(StatisticsDocument.objects.get().pdf)
    assert _total(pdf_text(reported, tmp_path)).split()[1] == "8"

    client.force_login(demo["zhuji_supervisor"])  # the same county, another unit
    assert prepare(demo["zhuji_supervisor"]) is True  # its own document, beside the first
    with mock.patch.object(cases.pdf, "HTML", wraps=cases.pdf.HTML) as weasy:
        theirs = client.get(PDF, OCTOBER)
    assert weasy.call_count == 0 and theirs.content != reported
    text = pdf_text(theirs.content, tmp_path)
    assert _total(text).split()[1] == "7"  # the accusation left out
    assert "本单位可见部分" in text
    assert StatisticsDocument.objects.count() == 2


def _total(text):
    return next(line for line in text.splitlines() if line.strip().startswith("合计"))


def test_another_jurisdiction_cannot_have_the_county_document(frozen, client, demo):
    assert prepare(demo["zhuji_statistician"]) is True
    county = bytes(StatisticsDocument.objects.get().pdf)
    town = demo["fengqiao_statistician"]
    assert prepare(town) is False  # the worker refuses a region outside the user's jurisdiction
    client.force_login(town)
    with mock.patch.object(cases.pdf, "HTML", wraps=cases.pdf.HTML) as weasy:
        response = client.get(PDF, OCTOBER)
    assert weasy.call_count == 0 and not response.content.startswith(b"%PDF")
    own = client.get(PDF, {"region": f"{FENGQIAO}000", "month": "2026-10"})
    assert own.content.startswith(b"%PDF") and own.content != county
    assert prepare(demo["zhuji_mediator"]) is False  # no statistics role: nothing rendered for them


def test_a_download_right_after_the_page_waits_for_the_worker_rather_than_render_beside_it(
    frozen, demo, django_capture_on_commit_callbacks
):
    cache.clear()
    WorkerHeartbeat.objects.create(name="celery", last_seen=timezone.now())
    with (
        mock.patch.object(documents.current_app, "signature"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        frozen.get(PAGE, OCTOBER)  # asks the worker
    worker = mock.Mock(side_effect=lambda _seconds: prepare(demo["zhuji_statistician"]))
    with (
        mock.patch.object(documents.time, "sleep", worker),
        mock.patch.object(cases.pdf, "HTML", wraps=cases.pdf.HTML) as weasy,
    ):
        response = frozen.get(PDF, OCTOBER)
    assert worker.call_count == 1 and weasy.call_count == 1  # the worker's layout only
    assert response.content == bytes(StatisticsDocument.objects.get().pdf)


def test_without_a_live_worker_the_download_does_not_wait(frozen, demo, django_capture_on_commit_callbacks):
    cache.clear()
    with (
        mock.patch.object(documents.current_app, "signature"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        frozen.get(PAGE, OCTOBER)
    with mock.patch.object(documents.time, "sleep") as sleep:
        assert frozen.get(PDF, OCTOBER).content.startswith(b"%PDF")
    assert not sleep.called and StatisticsDocument.objects.count() == 1
