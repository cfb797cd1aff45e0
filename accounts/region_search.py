"""The region picker's search: the regions a user may pick whose name or code matches what they
typed, each with its town for a village (a flat <select> of 540 villages is no way to find 阳春村).

Only regions ``accounts.scoping.visible_regions`` lets the user file cases in, at or below the
level the field asks for (a dispute is registered in a town or village, a petition in a county or
below). Typed digits match the start of the code; other text matches a region's name or its
parent's, so 枫桥 lists 枫桥镇 and then its villages. One query.
"""

from django.db.models import Q

from accounts.models import Region, RegionLevel
from accounts.scoping import _unit, visible_regions

LIMIT = 30
MAX_TERM = 30


def search_regions(user, term: str, *, min_level: int = RegionLevel.COUNTY, limit: int = LIMIT) -> list[dict]:
    # A NUL reaches no query (PostgreSQL text cannot hold one: a 500): it separates words like a space.
    term = " ".join((term or "").replace("\x00", " ").split())[:MAX_TERM]
    regions = visible_regions(user, Region.objects.filter(level__gte=min_level))
    if term.isascii() and term.isdigit():
        regions = regions.filter(code__startswith=term)
    elif term:
        regions = regions.filter(Q(name__contains=term) | Q(parent__name__contains=term))
    else:
        # Nothing typed: the highest level offered (the towns of a county), to start from.
        regions = regions.filter(level=max(min_level, _top_level(user)))
    rows = regions.order_by("code").values("code", "name", "level", "parent__name")[:limit]
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "level": row["level"],
            "label": f"{row['parent__name']} › {row['name']}"
            if row["level"] == RegionLevel.VILLAGE and row["parent__name"]
            else row["name"],
        }
        for row in rows
    ]


def _top_level(user) -> int:
    """The level just below the user's unit's region (a county unit starts from its towns)."""
    unit = _unit(user)  # loaded with its region by visible_regions already: no query
    if unit is None:
        return RegionLevel.TOWN
    return min(unit.region.level + 1, RegionLevel.VILLAGE)
