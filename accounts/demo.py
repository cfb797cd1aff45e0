"""The demo county: 诸暨市 with two towns and two villages in each, units at every level, and one
user per role per level. Used by ``seed_demo`` (``make run``) and by the tests."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts import roles
from accounts.grids import load_grids, read_grid_file, read_post_file
from accounts.models import Region, Unit, UnitKind, User
from accounts.regions import load_regions, read_rows

REGION_FILE = Path(__file__).parent / "data" / "regions-330681.csv"
GRID_FILE = Path(__file__).parent / "data" / "grids-330681.csv"
GRID_POST_FILE = Path(__file__).parent / "data" / "grid-posts-330681.csv"
# 先进村's grid workers below its 一级网格 (whose 网格长 is xianjin_grid_worker): 第一网格 (and, until
# May 2026, part-time in 第二网格), 第二网格, and 第一网格's 微网格.
GRID_USERS = ("xianjin_grid1", "xianjin_grid2", "xianjin_grid3")
DEMO_PASSWORD = "jiefen2026"

COUNTY = "330681000000"  # 诸暨市
TOWNS = {"fengqiao": "330681109000", "jiyang": "330681001000"}  # 枫桥镇, 暨阳街道
VILLAGES = {
    "xianjin": "330681109219",  # 先进村 (枫桥镇)
    "yangchun": "330681109241",  # 阳春村 (枫桥镇)
    "jiangdong": "330681001001",  # 江东社区 (暨阳街道)
    "huansha": "330681001005",  # 浣纱社区 (暨阳街道)
}

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "丽华",
    "国平",
    "美玲",
    "海燕",
    "伟",
    "敏",
    "静",
    "军",
    "磊",
    "洋",
    "艳",
    "勇",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
]


def short_name(region: Region) -> str:
    """Village committees are listed as 先进村委会 / 江东社区居委会; units use 先进村 / 江东社区."""
    return region.place_name


@dataclass
class DemoLogin:
    username: str
    role: str
    unit: str


def _unit(name, kind, region, covers=True):
    unit, _ = Unit.objects.update_or_create(
        region=region, name=name, defaults={"kind": kind, "covers_region": covers}
    )
    return unit


def _units_for(level_key: str, region: Region) -> dict[str, Unit]:
    """The units of one level and which unit each role sits in."""
    name = short_name(region)
    if level_key == "county":
        centre = _unit(f"{name}综治中心", UnitKind.GOVERNANCE_CENTRE, region)
        petitions = _unit(f"{name}信访局", UnitKind.PETITION_OFFICE, region)
        committee = _unit(f"{name}人民调解委员会", UnitKind.MEDIATION_COMMITTEE, region)
        labour = _unit(f"{name}人力资源和社会保障局", UnitKind.DEPARTMENT, region, covers=False)
        _unit(f"{name}住房和城乡建设局", UnitKind.DEPARTMENT, region, covers=False)
        return {
            roles.MEDIATOR: committee,
            roles.GRID_WORKER: centre,
            roles.PETITION_CLERK: petitions,
            roles.HANDLER: labour,
            roles.SUPERVISOR: centre,
            roles.STATISTICIAN: petitions,
            roles.ADMINISTRATOR: centre,
        }
    if level_key == "town":
        centre = _unit(f"{name}综治中心", UnitKind.GOVERNANCE_CENTRE, region)
        government = _unit(f"{name}人民政府", UnitKind.TOWNSHIP_GOVERNMENT, region)
        committee = _unit(f"{name}人民调解委员会", UnitKind.MEDIATION_COMMITTEE, region)
        return {
            roles.MEDIATOR: committee,
            roles.GRID_WORKER: centre,
            roles.PETITION_CLERK: centre,
            roles.HANDLER: government,
            roles.SUPERVISOR: centre,
            roles.STATISTICIAN: centre,
            roles.ADMINISTRATOR: centre,
        }
    centre = _unit(f"{name}综治中心", UnitKind.GOVERNANCE_CENTRE, region)
    committee = _unit(f"{name}人民调解委员会", UnitKind.MEDIATION_COMMITTEE, region)
    return {role: (committee if role == roles.MEDIATOR else centre) for role in roles.ALL_ROLES}


# 行业性专业性调委会 of the county (多元化解, mediation.routes): they see only what is routed to them or
# mediated jointly with them (covers_region off), like a department. username -> (unit, role).
INDUSTRY_COMMITTEES = ("劳动争议人民调解委员会", "医疗纠纷人民调解委员会")
EXTRA_LOGINS = {"laodong_mediator": ("劳动争议人民调解委员会", roles.MEDIATOR)}


def _industry_committees(county: Region) -> dict[str, Unit]:
    name = short_name(county)
    return {
        suffix: _unit(f"{name}{suffix}", UnitKind.MEDIATION_COMMITTEE, county, covers=False)
        for suffix in INDUSTRY_COMMITTEES
    }


@transaction.atomic
def seed_demo(password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    load_regions(read_rows(REGION_FILE))
    groups = roles.ensure_role_groups()
    places = [("zhuji", "county", COUNTY)]
    places += [(key, "town", code) for key, code in TOWNS.items()]
    places += [(key, "village", code) for key, code in VILLAGES.items()]
    logins = []
    n = 0
    for key, level_key, code in places:
        region = Region.objects.get(code=code)
        for role, unit in _units_for(level_key, region).items():
            username = f"{key}_{role}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username)
                user.set_password(password)
            user.display_name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]
            user.unit = unit
            # Only the county administrator uses the admin site (regions, units, users, holidays).
            user.is_staff = role == roles.ADMINISTRATOR and level_key == "county"
            user.save()
            user.groups.add(groups[role])
            logins.append(DemoLogin(username, role, unit.name))
            n += 1
    centre = Unit.objects.get(region_id=VILLAGES["xianjin"], kind=UnitKind.GOVERNANCE_CENTRE)
    for username in GRID_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        if user.pk is None:
            user.set_password(password)
        user.display_name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]
        user.unit = centre
        user.save()
        user.groups.add(groups[roles.GRID_WORKER])
        logins.append(DemoLogin(username, roles.GRID_WORKER, centre.name))
        n += 1
    load_grids(read_grid_file(GRID_FILE), read_post_file(GRID_POST_FILE))
    committees = _industry_committees(Region.objects.get(code=COUNTY))
    for username, (suffix, role) in EXTRA_LOGINS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(password)
        user.display_name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]
        user.unit = committees[suffix]
        user.save()
        user.groups.add(groups[role])
        logins.append(DemoLogin(username, role, user.unit.name))
        n += 1
    return logins
