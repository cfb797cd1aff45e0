"""The inspection ledger (排查台账): weekly reports, explicit zero reports, and the reminders for
missing ones."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import VILLAGES
from accounts.models import Grid
from grids import ledger
from grids.models import LedgerReport
from grids.reminders import remind_missing
from supervision.models import Notification

pytestmark = pytest.mark.django_db
D = datetime.date
MON = D(2026, 11, 23)  # a Monday


def _grid(code):
    return Grid.objects.get(region_id=VILLAGES["xianjin"], code=code)


def test_weeks_and_due_days():
    assert ledger.week_of(D(2026, 11, 29)) == MON  # Sunday
    assert ledger.due_day(MON) == D(2026, 11, 27)  # Friday
    assert ledger.last_due_week(D(2026, 11, 27)) == MON - datetime.timedelta(days=7)
    assert ledger.last_due_week(D(2026, 11, 28)) == MON


def test_zero_report_is_explicit_and_withdrawn_by_a_finding(demo):
    g1, worker = _grid("01"), demo["xianjin_grid1"]
    report = ledger.file_zero_report(worker, g1, MON, today=D(2026, 11, 25))
    assert report.zero_report and report.inspections.count() == 0
    assert ledger.file_zero_report(worker, g1, MON, today=D(2026, 11, 25)).pk == report.pk
    ledger.add_inspection(worker, g1, inspected_on=D(2026, 11, 26), looked_at="村东排水沟", found="两户争吵",
                          disputes_found=1, today=D(2026, 11, 26))  # fmt: skip
    report.refresh_from_db()
    assert not report.zero_report
    with pytest.raises(ledger.LedgerError):
        ledger.file_zero_report(worker, g1, MON, today=D(2026, 11, 27))


def test_only_post_holders_file_and_not_ahead(demo):
    g1 = _grid("01")
    with pytest.raises(ledger.LedgerError):
        ledger.file_zero_report(demo["xianjin_grid2"], g1, MON, today=D(2026, 11, 25))
    with pytest.raises(ledger.LedgerError):
        ledger.file_zero_report(demo["xianjin_grid1"], g1, MON + datetime.timedelta(days=7), today=MON)
    with pytest.raises(ledger.LedgerError):
        ledger.add_inspection(
            demo["xianjin_grid1"], g1, inspected_on=MON, looked_at="x", today=MON - datetime.timedelta(days=1)
        )


def test_missing_reports_remind_the_grid_workers_and_the_village_once(demo):
    ledger.file_zero_report(demo["xianjin_grid1"], _grid("01"), MON, today=D(2026, 11, 25))
    now = timezone.make_aware(datetime.datetime(2026, 11, 28, 9, 0))
    written = remind_missing(now)
    notes = Notification.objects.filter(title__contains="先进村第二网格")
    who = set(notes.values_list("user__username", flat=True))
    assert {"xianjin_grid2", "xianjin_supervisor"} <= who
    assert "xianjin_grid1" not in who
    assert not Notification.objects.filter(title__contains="先进村第一网格").exists()  # 01 filed
    assert notes.first().link == reverse("grids:ledger", args=[_grid("02").pk])
    assert written >= len(who)
    assert remind_missing(now) == 0  # once per grid, week and recipient


def test_ledger_pages_are_scoped(demo, client):
    g1, g2 = _grid("01"), _grid("02")
    client.force_login(demo["xianjin_grid1"])
    assert client.get(reverse("grids:ledger", args=[g1.pk])).status_code == 200
    assert client.get(reverse("grids:ledger", args=[g2.pk])).status_code == 404
    assert client.post(reverse("grids:zero", args=[g2.pk])).status_code == 404
    r = client.post(reverse("grids:zero", args=[g1.pk]))
    assert r.status_code == 302
    assert LedgerReport.objects.get(grid=g1).zero_report
    page = client.get(reverse("grids:list")).content.decode()
    assert "先进村第一网格" in page and "先进村第二网格" not in page
    client.force_login(demo["xianjin_supervisor"])
    page = client.get(reverse("grids:list")).content.decode()
    assert "先进村第一网格" in page and "先进村第二网格" in page
    assert client.get(reverse("grids:inspect", args=[g1.pk])).status_code == 403  # the village looks
    assert client.get(reverse("grids:village", args=[VILLAGES["xianjin"]])).status_code == 200


def test_inspection_raises_a_dispute_linked_to_the_ledger(demo, client):
    from mediation.models import DisputeCategory, RiskLevel
    from tests.dispute_helpers import intake_post

    g2, worker = _grid("02"), demo["xianjin_grid2"]
    inspection = ledger.add_inspection(worker, g2, inspected_on=timezone.localdate(), looked_at="山林界址",
                                       found="两户争山界", disputes_found=0)  # fmt: skip
    client.force_login(worker)
    form = client.get(reverse("grids:raise", args=[inspection.pk]))
    assert form.status_code == 200
    post = intake_post({
        "region": VILLAGES["xianjin"], "grid": g2.pk, "summary": "山界纠纷", "source": "grid_inspection",
        "category": DisputeCategory.objects.get(code="neighbour").pk,
        "risk_level": RiskLevel.objects.get(code="yellow").pk, "facts": "两户争山界", "people_involved": "2",
        "applicant_name": "张三明", "applicant_phone": "13800138001",
        "respondent_name": "李四", "respondent_phone": "13900139002",
    })  # fmt: skip
    r = client.post(reverse("grids:raise", args=[inspection.pk]), post)
    assert r.status_code == 302, r.content.decode()[:3000]
    case = inspection.cases.get()
    assert case.grid_id == g2.pk and case.reported_by_id == worker.pk
    inspection.refresh_from_db()
    assert inspection.disputes_found == 1
    # the neighbour grid's worker does not see it; the village does
    from accounts.scoping import visible_cases
    from cases.models import Case

    assert not visible_cases(demo["xianjin_grid3"], Case.objects.filter(pk=case.pk)).exists()
    assert visible_cases(demo["xianjin_supervisor"], Case.objects.filter(pk=case.pk)).exists()


def test_the_intake_picks_the_reporters_grid(demo, client):
    client.force_login(demo["xianjin_grid2"])
    page = client.get(reverse("disputes:create")).content.decode()
    assert f'<option value="{_grid("02").pk}" selected>' in page
