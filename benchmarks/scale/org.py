"""The organisation at scale: regions from a CSV file, units and users for every county, town and
village, created in bulk (tens of thousands of rows; one ``Unit.save`` each would take minutes).

Units and roles mirror the demo county (accounts.demo): a county has a governance centre, a petition
bureau, a mediation committee and two functional departments; a town a centre, its government and a
committee; a village a centre and a committee. Regions that already have units (the demo county)
keep theirs. Usernames are ``<code prefix>_<role>`` (``330102_supervisor``, ``330102001_mediator``,
``330102001001_grid_worker``); every generated user shares the demo password.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts import roles
from accounts.demo import DEMO_PASSWORD, GIVEN, SURNAMES, seed_demo, short_name
from accounts.models import PREFIX_LENGTH, Region, RegionLevel, Unit, UnitKind, User
from accounts.regions import load_regions, read_rows

K = UnitKind
# (name suffix, kind, covers its region) per level; the first unit of a kind is the one roles use.
UNIT_PLAN = {
    RegionLevel.PROVINCE: [("综治中心", K.GOVERNANCE_CENTRE, True)],
    RegionLevel.COUNTY: [
        ("综治中心", K.GOVERNANCE_CENTRE, True),
        ("信访局", K.PETITION_OFFICE, True),
        ("人民调解委员会", K.MEDIATION_COMMITTEE, True),
        ("人力资源和社会保障局", K.DEPARTMENT, False),
        ("住房和城乡建设局", K.DEPARTMENT, False),
    ],
    RegionLevel.TOWN: [
        ("综治中心", K.GOVERNANCE_CENTRE, True),
        ("人民政府", K.TOWNSHIP_GOVERNMENT, True),
        ("人民调解委员会", K.MEDIATION_COMMITTEE, True),
    ],
    RegionLevel.VILLAGE: [
        ("综治中心", K.GOVERNANCE_CENTRE, True),
        ("人民调解委员会", K.MEDIATION_COMMITTEE, True),
    ],
}
# Which unit kind each role sits in, per level (as in accounts.demo).
ROLE_UNITS = {
    RegionLevel.PROVINCE: {roles.SUPERVISOR: K.GOVERNANCE_CENTRE, roles.STATISTICIAN: K.GOVERNANCE_CENTRE},
    RegionLevel.COUNTY: {
        roles.MEDIATOR: K.MEDIATION_COMMITTEE,
        roles.GRID_WORKER: K.GOVERNANCE_CENTRE,
        roles.PETITION_CLERK: K.PETITION_OFFICE,
        roles.HANDLER: K.DEPARTMENT,
        roles.SUPERVISOR: K.GOVERNANCE_CENTRE,
        roles.STATISTICIAN: K.PETITION_OFFICE,
        roles.ADMINISTRATOR: K.GOVERNANCE_CENTRE,
    },
    RegionLevel.TOWN: {
        roles.MEDIATOR: K.MEDIATION_COMMITTEE,
        roles.GRID_WORKER: K.GOVERNANCE_CENTRE,
        roles.PETITION_CLERK: K.GOVERNANCE_CENTRE,
        roles.HANDLER: K.TOWNSHIP_GOVERNMENT,
        roles.SUPERVISOR: K.GOVERNANCE_CENTRE,
        roles.STATISTICIAN: K.GOVERNANCE_CENTRE,
        roles.ADMINISTRATOR: K.GOVERNANCE_CENTRE,
    },
    # Villages: the people who register and mediate there; supervision sits in the town.
    RegionLevel.VILLAGE: {roles.MEDIATOR: K.MEDIATION_COMMITTEE, roles.GRID_WORKER: K.GOVERNANCE_CENTRE},
}
BATCH = 5000


@dataclass
class Org:
    """What the case generator needs to know about the organisation, by region code."""

    regions: dict[str, Region]
    # region code -> {unit kind: [unit ids]}
    units: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    # (unit id, role) -> user id
    users: dict[tuple[int, str], int] = field(default_factory=dict)
    # unit id -> group id (for 交办 grants)
    unit_groups: dict[int, int] = field(default_factory=dict)

    def unit(self, code: str, kind: str) -> int | None:
        found = self.units.get(code, {}).get(kind)
        return found[0] if found else None

    def user(self, code: str, kind: str, role: str) -> int | None:
        unit = self.unit(code, kind)
        return self.users.get((unit, role)) if unit else None

    def villages(self) -> list[Region]:
        """Villages whose town and county are staffed: the places cases are generated in."""
        return [
            r
            for r in self.regions.values()
            if r.level == RegionLevel.VILLAGE
            and self.unit(r.code, K.MEDIATION_COMMITTEE)
            and self.unit(r.code[:9] + "000", K.GOVERNANCE_CENTRE)
            and self.unit(r.code[:6] + "000000", K.PETITION_OFFICE)
        ]


def _display_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7 + n // len(SURNAMES)) % len(GIVEN)]


@transaction.atomic
def build_org(regions_path, log=lambda s: None) -> Org:
    seed_demo()
    rows = read_rows(regions_path)
    result = load_regions(rows)
    log(f"regions: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")
    codes = {r["code"] for r in rows}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    staffed = set(Unit.objects.values_list("region_id", flat=True).distinct())

    planned = []
    for region in regions.values():
        if region.level in UNIT_PLAN and region.code not in staffed:
            base = short_name(region)
            for suffix, kind, covers in UNIT_PLAN[region.level]:
                planned.append(Unit(name=f"{base}{suffix}", kind=kind, region=region, covers_region=covers))
    groups = Group.objects.bulk_create(
        [Group(name=f"unit:{u.region_id}:{u.name}"[:150]) for u in planned], batch_size=BATCH
    )
    for unit, group in zip(planned, groups, strict=True):
        unit.group_id = group.pk
    Unit.objects.bulk_create(planned, batch_size=BATCH)
    log(f"units: {len(planned)} created")

    org = Org(regions=regions)
    for pk, code, kind, group_id in Unit.objects.order_by("pk").values_list(
        "pk", "region_id", "kind", "group_id"
    ):
        org.units.setdefault(code, {}).setdefault(kind, []).append(pk)
        org.unit_groups[pk] = group_id
    role_groups = roles.ensure_role_groups()
    for user_id, unit_id, role in User.objects.filter(
        unit__isnull=False, groups__name__in=roles.ALL_ROLES
    ).values_list("pk", "unit_id", "groups__name"):
        org.users.setdefault((unit_id, role), user_id)

    password = make_password(DEMO_PASSWORD)
    new_users, memberships = [], []
    for region in regions.values():
        for role, kind in ROLE_UNITS.get(region.level, {}).items():
            unit = org.unit(region.code, kind)
            if unit is None or (unit, role) in org.users:
                continue
            n = len(new_users)
            new_users.append(
                User(
                    username=f"{region.code[: PREFIX_LENGTH[region.level]]}_{role}",
                    password=password,
                    display_name=_display_name(n),
                    unit_id=unit,
                )
            )
            memberships.append((role, unit))
    User.objects.bulk_create(new_users, batch_size=BATCH)
    through = User.groups.through
    links = []
    for user, (role, unit) in zip(new_users, memberships, strict=True):
        org.users[(unit, role)] = user.pk
        links.append(through(user_id=user.pk, group_id=role_groups[role].pk))
        links.append(through(user_id=user.pk, group_id=org.unit_groups[unit]))
    through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    log(f"users: {len(new_users)} created")
    return org
