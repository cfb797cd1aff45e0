"""Statistics by route (多元化解): how many went where, how they ended, in how many days — on screen,
in the xlsx and behind each figure the list of its disputes; values worked out by hand below."""

import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Region, Unit
from mediation import workflow
from mediation.models import DisputeRoute
from reporting import mediation_stats
from reporting.periods import Period
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db
FENGQIAO, XIANJIN, YANGCHUN = "330681109", "330681109219", "330681109241"


def _route(dispute, actor, channel, *, unit=None, body="", number="", days_out=None, outcome=None, by=None):
    workflow.TRANSITIONS["route"].execute(dispute.pk, actor, {
        "channel": channel, "unit": unit, "body_name": body, "field": "labour" if unit else "",
        "court_case_number": number, "reason": "专业调解",
    })  # fmt: skip
    if outcome:
        today = timezone.localdate()
        # Routed days_out days ago (the row's date), the result recorded today.
        DisputeRoute.objects.filter(dispute=dispute).update(
            routed_on=today - datetime.timedelta(days=days_out)
        )
        workflow.TRANSITIONS["route_result"].execute(dispute.pk, by or actor, {
            "outcome": outcome, "result": "结果", "result_on": today, "court_case_number": "",
        })  # fmt: skip


@pytest.fixture
def routed(demo):
    """In 先进村 this month: A to the labour committee, back mediated after 5 days; B to a court,
    still out; C to arbitration, back not mediated after 3 days; D mediated jointly with 阳春村; E
    not routed. In 阳春村: F to administrative mediation (人社局), still out."""
    m, y = demo["xianjin_mediator"], demo["yangchun_mediator"]
    labour = Unit.objects.get(name="诸暨市劳动争议人民调解委员会")
    department = Unit.objects.get(name="诸暨市人力资源和社会保障局")
    made = {}
    for key, mediator, village in [("A", m, "xianjin"), ("B", m, "xianjin"), ("C", m, "xianjin"),
                                   ("D", m, "xianjin"), ("E", m, "xianjin"), ("F", y, "yangchun")]:  # fmt: skip
        d = new_dispute(mediator, village=village, summary=f"途径{key}")
        workflow.accept(d.pk, mediator)
        workflow.start_mediation(d.pk, mediator)
        made[key] = d
    _route(made["A"], m, "committee", unit=labour, days_out=5, outcome="success", by=demo["laodong_mediator"])
    _route(made["B"], m, "court", body="诸暨市人民法院", number="（2026）浙0681民诉前调9号")
    _route(made["C"], m, "arbitration", body="诸暨市劳动人事争议仲裁委员会", days_out=3, outcome="failed")
    workflow.TRANSITIONS["joint_mediation"].execute(made["D"].pk, m, {
        "units": [y.unit], "mediators": [y], "reason": "两村村民", "participants": [],
    })  # fmt: skip
    _route(made["F"], y, "administrative", unit=department)
    return made


# By hand, from the fixture's docstring.
XIANJIN_ROW = {
    "routed": 3, "route_committee": 1, "route_court": 1, "route_administrative": 0, "route_arbitration": 1,
    "route_returned": 2, "route_success": 1, "route_failed": 1, "route_other": 0, "route_out": 1,
    "route_days": 8, "route_mean_days": Decimal("4.0"), "joint": 1,
}  # fmt: skip
YANGCHUN_ROW = {
    "routed": 1, "route_committee": 0, "route_court": 0, "route_administrative": 1, "route_arbitration": 0,
    "route_returned": 0, "route_success": 0, "route_failed": 0, "route_other": 0, "route_out": 1,
    "route_days": 0, "route_mean_days": None, "joint": 0,
}  # fmt: skip


def this_month():
    today = timezone.localdate()
    return Period.month(today.year, today.month)


def by_route(user, code):
    report = mediation_stats.compute(user, Region.objects.get(code=code.ljust(12, "0")), this_month())
    return next(sheet for sheet in report["sheets"] if sheet.sheet.key == "route")


def test_the_figures_by_route_are_those_worked_by_hand(routed, demo):
    sheet = by_route(demo["fengqiao_supervisor"], FENGQIAO)
    rows = {row.key: row.values for row in sheet.all_rows()}
    assert rows[XIANJIN] == XIANJIN_ROW
    assert rows[YANGCHUN] == YANGCHUN_ROW
    total = rows["total"]
    assert (total["routed"], total["route_out"], total["route_days"], total["route_mean_days"]) == (
        4, 2, 8, Decimal("4.0"),
    )  # fmt: skip


def test_each_route_figure_lists_its_disputes(routed, demo):
    user, town = demo["fengqiao_supervisor"], Region.objects.get(code=FENGQIAO.ljust(12, "0"))
    expected = {"route_committee": ["A"], "route_out": ["B"], "route_failed": ["C"], "joint": ["D"],
                "routed": ["A", "B", "C"]}  # fmt: skip
    for column, keys in expected.items():
        listed = mediation_stats.drill(user, town, this_month(), column, XIANJIN)
        assert sorted(listed.values_list("pk", flat=True)) == sorted(routed[k].pk for k in keys), column


def test_the_screen_and_the_xlsx_show_the_table_by_route(routed, demo, client):
    client.force_login(demo["fengqiao_supervisor"])
    query = {"region": FENGQIAO.ljust(12, "0"), "month": f"{this_month().start:%Y-%m}"}
    html = client.get(reverse("reporting:table", args=["mediation"]), query).content.decode()
    table = html.split('data-sheet="route"', 1)[1].split("</table>", 1)[0]
    row = table.split(f'data-row="{XIANJIN}"', 1)[1].split("</tr>", 1)[0]
    cells = dict(re.findall(r'data-column="([a-z_]+)">(.*?)</td>', row))
    shown = {key: re.sub(r"<[^>]+>", "", value).strip() for key, value in cells.items()}
    assert (
        shown["route_committee"] == "1" and shown["route_days"] == "8" and shown["route_mean_days"] == "4.0"
    )
    assert "drill" in cells["route_committee"]  # a count links to its list
    assert "按途径" in html and "行业性专业性调委会" in html
    drill = client.get(
        reverse("reporting:drill", args=["mediation"]), {**query, "column": "route_committee", "row": XIANJIN}
    ).content.decode()
    assert routed["A"].number in drill and routed["B"].number not in drill
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("reporting:xlsx", args=["mediation"]), query).content)
    )
    sheet = workbook["按途径"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    xianjin = next(r for name, r in rows.items() if "先进" in str(name))
    headers = next(r for name, r in rows.items() if name == "区域")
    values = dict(zip(headers[1:], xianjin[1:], strict=True))
    assert values["转行业性专业性调委会（件）"] == 1 and values["在途天数合计（天）"] == 8
    assert values["平均在途天数（天）"] == 4  # 8 days ÷ 2 results back, a number in the cell


def test_the_pdf_shows_the_table_by_route(routed, demo, client, tmp_path):
    client.force_login(demo["fengqiao_supervisor"])
    query = {"region": FENGQIAO.ljust(12, "0"), "month": f"{this_month().start:%Y-%m}"}
    path = tmp_path / "statistics.pdf"
    path.write_bytes(client.get(reverse("reporting:pdf", args=["mediation"]), query).content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    section = text.split("按途径", 1)[1]
    xianjin = next(line for line in section.splitlines() if "先进村" in line)
    # routed, committee, court, administrative, arbitration, back, success, failed, other, out,
    # days out, mean days, joint: the hand-worked row above.
    assert xianjin.split()[1:] == ["3", "1", "1", "0", "1", "2", "1", "1", "0", "1", "8", "4.0", "1"]
