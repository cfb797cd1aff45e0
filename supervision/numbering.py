"""督办单 numbers, e.g. 诸暨〔2026〕督字第12号: per county of the issuing unit and year, sequential.

The same counter rows as case numbers (cases.numbering), under their own series name, locked in the
transaction that stores the order: two supervisors issuing at once get consecutive numbers, and a
rolled-back order burns none. The partial unique constraint on ``SupervisionOrder.number`` is the
backstop.
"""

from django.utils import timezone

from accounts.models import Region
from cases.numbering import county_short_name, next_sequence

SERIES = "supervision"


def _county_names(units) -> dict[str, str]:
    """6-digit county code -> short name (诸暨) for the counties the units sit in, in one query.
    Above county level the unit's own region is used: a city's code is its prefix padded with zeros."""
    codes = {unit.region_id[:6] for unit in units}
    found = {r.code[:6]: r for r in Region.objects.filter(code__in=[c + "000000" for c in codes])}
    return {code: county_short_name(found[code]) if code in found else code for code in codes}


def _format(short: str, year: int, seq: int) -> str:
    return f"{short}〔{year}〕督字第{seq}号"


def number_orders(orders) -> None:
    """Give unsaved orders their numbers, in the order given; inside the storing transaction.

    One counter per (county, year) is locked once for the whole batch, in a fixed order so that two
    batches never wait on each other crosswise.
    """
    year = timezone.localdate().year
    names = _county_names({order.issuing_unit for order in orders})
    by_county: dict[str, list] = {}
    for order in orders:
        by_county.setdefault(order.issuing_unit.region_id[:6], []).append(order)
    for code, batch in sorted(by_county.items()):
        short = names[code]
        last = next_sequence(code, year, SERIES, count=len(batch))
        for seq, order in enumerate(batch, start=last - len(batch) + 1):
            order.number = _format(short, year, seq)
