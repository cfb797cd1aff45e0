"""The tile grid of the analysis page and the 研判报告: one tile per place below the place shown
(a county's towns; a town's villages), coloured by the cases opened there in the period; a town's
name opens the page on the town, whose tiles are its villages. One grouped query.

A tile's figure is ``place``: the cases of the period in that region's subtree (``row`` the region
code), or filed on the region itself (``col="self"``: a town's own cases), so its list
(reporting.insight_lists) is as long as the tile says.
"""

from django.db.models import Count
from django.db.models.functions import Substr

from accounts.models import RegionLevel
from reporting import insight
from reporting.charts import Tile
from reporting.tables import row_regions


def place_counts(scope) -> tuple[int, dict[str, int]]:
    """(prefix length of a tile, {case region code cut to that length: cases opened in the period})."""
    length, _children = row_regions(scope.region)
    rows = (
        scope.cases().filter(insight._between(scope.period))
        .annotate(grp=Substr("region_id", 1, length)).values("grp").annotate(n=Count("pk"))
    )  # fmt: skip
    return length, {r["grp"]: r["n"] for r in rows}


def place_tiles(scope, case_href=None, place_href=None) -> list[Tile]:
    """The tiles of ``scope``: its child places (the region itself for a village), and a tile of
    its own cases when it has some. ``case_href(params)`` links a tile to its case list and
    ``place_href(code)`` its name to the page on that place (both None for the PDF)."""
    region = scope.region
    length, counts = place_counts(scope)
    places = [region] if region.level >= RegionLevel.VILLAGE else list(region.children.order_by("code"))
    top = max(counts.values(), default=0)
    tiles, placed = [], set()
    for place in places:
        key = place.code[:length]
        n = counts.get(key, 0)
        placed.add(key)
        href = case_href({"figure": "place", "row": place.code}) if case_href and n else ""
        drill = place_href(place.code) if place_href and place.level < RegionLevel.VILLAGE else ""
        tiles.append(Tile(place.place_name, n, insight.shade(n, top), href, drill))
    own = sum(n for key, n in counts.items() if key not in placed)
    if own:  # cases filed on the region itself (a town's own cases)
        href = case_href({"figure": "place", "row": region.code, "col": "self"}) if case_href else ""
        tiles.append(Tile(f"{region.place_name}（本级）", own, insight.shade(own, top), href))
    return tiles
