"""The access matrix's world: the demo county, a second county, and one dispute and one petition
at each place the matrix looks at, each with a party whose name, ID number and phone appear nowhere
else, an attachment and a supervision order.

Places are named from the point of view of a user in 先进村 (xianjin):
  own_village         先进村
  sibling_village     阳春村, same town
  parent_town         枫桥镇 itself (a case filed at town level)
  other_town          江东社区 in 暨阳街道
  other_county        a village of a second county built here
  granted             浣纱社区 (other town), granted (交办) to both xianjin units
  accused             先进村, an accusation withheld from 先进村综治中心, which also handles it,
                      holds a grant and whose member is its handler (every other rule says "show")
  accused_department  江东社区, withheld from 诸暨市人社局 (a non-covering department) that also
                      handles it, holds a grant and whose member is its handler
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.demo import COUNTY, TOWNS, VILLAGES, seed_demo
from accounts.models import Region, RegionLevel, Unit, UnitKind, User
from accounts.scoping import grant_case_to_unit
from cases.attachments import add_attachment
from cases.models import PartyRole
from jobs.models import Job, JobKind, JobStatus
from mediation.models import DisputeCategory, DisputeSource, RiskLevel
from mediation.workflow import register_dispute
from petitions.models import PetitionCategory
from petitions.workflow import register_petition
from supervision.models import Notification, SupervisionOrder
from tests.security.expectations import GRID_VISIBLE

OTHER_COUNTY = {"county": "339901000000", "town": "339901001000", "village": "339901001001"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Place key -> (region code, the unit handling its cases: (region code, unit name) or None).
PLACES = {
    "own_village": (VILLAGES["xianjin"], (VILLAGES["xianjin"], "先进村综治中心")),
    "sibling_village": (VILLAGES["yangchun"], (VILLAGES["yangchun"], "阳春村综治中心")),
    "parent_town": (TOWNS["fengqiao"], (TOWNS["fengqiao"], "枫桥镇综治中心")),
    "other_town": (VILLAGES["jiangdong"], (VILLAGES["jiangdong"], "江东社区综治中心")),
    "other_county": (OTHER_COUNTY["village"], (OTHER_COUNTY["village"], "外县一村综治中心")),
    "granted": (VILLAGES["huansha"], (VILLAGES["huansha"], "浣纱社区综治中心")),
    "accused": (VILLAGES["xianjin"], (VILLAGES["xianjin"], "先进村综治中心")),
    "accused_department": (VILLAGES["jiangdong"], (COUNTY, "诸暨市人力资源和社会保障局")),
}
# Surnames and given names chosen so that no two parties share a masked form either.
SURNAMES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星"


@dataclass
class Target:
    """What the matrix requests about one place: the cases, their attachments, an order, and the
    strings that must never appear in a response to someone who may not see them."""

    place: str
    dispute: object
    petition: object
    attachments: dict = field(default_factory=dict)  # kind -> Attachment
    orders: dict = field(default_factory=dict)  # kind -> SupervisionOrder
    secrets: dict = field(default_factory=dict)  # kind -> [number, party name, ID number, phone]
    warning: object = None  # an early warning of the place, behind its two cases (analysis)
    grid: object = None  # a 二级网格 of the place with one inspection (grids), for villages only
    inspection: object = None

    def case(self, kind):
        return self.dispute if kind == "dispute" else self.petition


def _check_digit(first17):
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def _person(n):
    """A party's details as typed at intake (kept on the case; cases.people)."""
    first17 = f"33068119800101{n:03d}"
    return {
        "name": f"{SURNAMES[n]}矩阵{SURNAMES[-1 - n]}{n}号",
        "id_number": first17 + _check_digit(first17),
        "phone": f"1377700{n:04d}",
        "address": f"矩阵路{n}号",
    }


def _other_county():
    codes = OTHER_COUNTY
    county, _ = Region.objects.get_or_create(
        code=codes["county"], defaults={"name": "外县", "level": RegionLevel.COUNTY}
    )
    town, _ = Region.objects.get_or_create(
        code=codes["town"], defaults={"name": "外县一镇", "level": RegionLevel.TOWN, "parent": county}
    )
    village, _ = Region.objects.get_or_create(
        code=codes["village"], defaults={"name": "外县一村委会", "level": RegionLevel.VILLAGE, "parent": town}
    )
    unit = Unit.objects.create(name="外县一村综治中心", kind=UnitKind.GOVERNANCE_CENTRE, region=village)
    Unit.objects.create(name="外县综治中心", kind=UnitKind.GOVERNANCE_CENTRE, region=county)
    outsider = User.objects.create(username="outside_supervisor", display_name="外县督办员", unit=unit)
    return unit, outsider


def _warning(place, region, cases):
    """An early warning at the place, sent to the county centre (the other county's own), with the
    place's cases behind it: its page names them only to those who may see them."""
    from analysis.models import EarlyWarning, WarningRule
    from analysis.workflow import responsible_unit

    warning = EarlyWarning.objects.create(
        rule=WarningRule.objects.get(code="surge_week"), kind="surge", pattern_key=f"matrix:{place}",
        title=f"矩阵预警{place}", summary=f"矩阵预警摘要{place}", region=region,
        unit=responsible_unit(region, 3), evidence_until=timezone.now(), raised_at=timezone.now(),
    )  # fmt: skip
    warning.evidence.set([c.pk for c in cases])
    return warning


def _grid(place, region, root):
    """A 二级网格 of the place (below its 一级网格) with one week's report and inspection."""
    from accounts.models import Grid, GridLevel
    from grids.models import Inspection, LedgerReport

    first, _ = Grid.objects.get_or_create(
        region=region, code="", defaults={"name": f"{region.place_name}网格", "level": GridLevel.FIRST}
    )
    grid = Grid.objects.create(
        region=region, parent=first, code="09", level=GridLevel.SECOND, name=f"矩阵网格{place}"
    )
    report = LedgerReport.objects.create(grid=grid, week_start=datetime.date(2026, 11, 2), filed_by=root)
    inspection = Inspection.objects.create(
        report=report, inspected_on=datetime.date(2026, 11, 3), looked_at=f"矩阵排查{place}", recorded_by=root
    )
    return grid, inspection


def build_world():
    """Build everything once; returns (users by name, targets by place, jobs by owner name)."""
    seed_demo()
    other_unit, outsider = _other_county()
    root = User.objects.create_superuser("matrix_root", password="x")
    users = {u.username: u for u in User.objects.exclude(pk=root.pk).exclude(pk=outsider.pk)}
    county_centre = Unit.objects.get(region_id=COUNTY, name="诸暨市综治中心")
    category = DisputeCategory.objects.get(code="neighbour")
    risk = RiskLevel.objects.get(code="yellow")
    petition_category = PetitionCategory.objects.get(code="wage_arrears")
    targets = {}
    n = 0
    for place, (region_code, (unit_region, unit_name)) in PLACES.items():
        region = Region.objects.get(code=region_code)
        unit = Unit.objects.get(region_id=unit_region, name=unit_name)
        common = {"region": region, "summary": f"矩阵{place}"}
        dispute_parties = [(_person(n), PartyRole.APPLICANT), (_person(n + 1), PartyRole.RESPONDENT)]
        dispute = register_dispute(
            root, parties=dispute_parties, source=DisputeSource.WALK_IN, category=category,
            risk_level=risk, place="矩阵", facts="矩阵事实", **common,
        )  # fmt: skip
        petition = register_petition(
            root, petitioners=[_person(n + 2)], channel="letter", petition_kind="claim",
            category=petition_category, content="矩阵内容", demands="矩阵诉求",
            received_on=datetime.date(2026, 11, 2), **common,
        )  # fmt: skip
        target = Target(place, dispute, petition)
        for kind, case, people in (
            ("dispute", dispute, list(dispute.parties.all())),
            ("petition", petition, list(petition.parties.all())),
        ):
            case.handling_unit = unit
            if place.startswith("accused"):
                case.withheld_from_unit = unit
                case.handler = unit.members.order_by("pk").first()
                grant_case_to_unit(case, unit)
            case.save()
            if place == "granted":
                for granted_unit in Unit.objects.filter(region_id=VILLAGES["xianjin"]):
                    grant_case_to_unit(case, granted_unit)
            upload = SimpleUploadedFile("矩阵.pdf", PDF_BYTES, content_type="application/pdf")
            target.attachments[kind] = add_attachment(case, root, upload)
            issuing = other_unit if place == "other_county" else county_centre
            target.orders[kind] = SupervisionOrder.objects.create(
                case=case, issuing_unit=issuing, target_unit=unit, required_action=f"督办{case.number}",
                target_date=timezone.localdate() + datetime.timedelta(days=5),
            )  # fmt: skip
            target.secrets[kind] = [case.number] + [v for p in people for v in (p.name, p.id_number, p.phone)]
        target.warning = _warning(place, region, [dispute, petition])
        if place in GRID_VISIBLE:
            target.grid, target.inspection = _grid(place, region, root)
        targets[place] = target
        n += 3
    # Background jobs belong to their owner alone (jobs.runner.visible_jobs).
    jobs = {}
    for owner in ("xianjin_supervisor", "zhuji_statistician", "outside_supervisor"):
        user = outsider if owner == "outside_supervisor" else users[owner]
        jobs[owner] = Job.objects.create(
            kind=JobKind.CLOSURE_BATCH, owner=user, unit_id=user.unit_id, status=JobStatus.DONE,
            params={"year": 2026, "month": 10}, message=f"矩阵作业{owner}",
        )  # fmt: skip
    # A notification about someone else's case, to a user outside the county, must stay theirs.
    Notification.objects.create(
        user=outsider, title="外县提醒", body=f"外县案件 {targets['other_county'].dispute.number}"
    )
    return users, targets, jobs
