"""Where a citizen's application lands: the competent unit for the place chosen.

A dispute goes to the people's mediation committee of the place, else of the nearest region above
(a village without its own committee: the town's). A petition goes to the petition office, else the
governance centre, of the town or above (a village has no petition organ). Regions offered in the
picker are those for which such a unit exists."""

from django.db.models import Q

from accounts.models import Region, RegionLevel, Unit, UnitKind

DISPUTE_KINDS = (UnitKind.MEDIATION_COMMITTEE,)
PETITION_KINDS = (UnitKind.PETITION_OFFICE, UnitKind.GOVERNANCE_CENTRE)


def competent_unit(region: Region, kind: str) -> Unit | None:
    kinds = DISPUTE_KINDS if kind == "dispute" else PETITION_KINDS
    codes = region.codes_up()
    if kind != "dispute" and region.level == RegionLevel.VILLAGE:
        codes = codes[1:]
    units = Unit.objects.filter(region_id__in=codes, kind__in=kinds, is_active=True).select_related("region")
    ranked = sorted(units, key=lambda u: (codes.index(u.region_id), kinds.index(u.kind), u.pk))
    return ranked[0] if ranked else None


def served_regions():
    """Towns and villages of the counties that have at least one active unit in the portal."""
    counties = {
        code[:6] for code in Unit.objects.filter(is_active=True).values_list("region_id", flat=True) if code
    }
    q = Q(pk__in=[])
    for county in counties:
        q |= Q(code__startswith=county)
    return Region.objects.filter(q, level__gte=RegionLevel.TOWN)


def search(term: str, limit: int = 30) -> list[dict]:
    """The public region picker's answers (the staff picker's shape, accounts.region_search)."""
    term = " ".join((term or "").replace("\x00", " ").split())[:30]
    regions = served_regions()
    if term.isascii() and term.isdigit():
        regions = regions.filter(code__startswith=term)
    elif term:
        regions = regions.filter(Q(name__contains=term) | Q(parent__name__contains=term))
    else:
        regions = regions.filter(level=RegionLevel.TOWN)
    rows = regions.order_by("code").values("code", "name", "level", "parent__name")[:limit]
    return [
        {
            "code": r["code"],
            "name": r["name"],
            "level": r["level"],
            "label": f"{r['parent__name']} › {r['name']}"
            if r["level"] == RegionLevel.VILLAGE and r["parent__name"]
            else r["name"],
        }
        for r in rows
    ]
