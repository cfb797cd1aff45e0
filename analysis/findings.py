"""What a rule found: a ``Finding`` is a warning not yet stored (analysis.workflow.raise_warning
stores it once per open pattern), and the helpers the detectors share."""

import datetime
from dataclasses import dataclass, field

from accounts.models import PREFIX_LENGTH, Region


@dataclass
class Finding:
    rule: object  # analysis.WarningRule
    key: str  # the pattern: one open warning per key
    region_code: str  # where it lies (decides who sees it)
    level: int  # the level whose governance centre is told first
    title: str
    summary: str
    facts: dict
    case_ids: list[int]
    evidence_until: datetime.datetime  # the newest case behind it
    timeline_cases: list = field(default_factory=list)  # cases whose own timeline records the warning


def common_region(codes) -> str:
    """The lowest region containing every code: the longest shared prefix cut to a level's length,
    padded to 12 digits (a person's cases in two villages of one town lie in the town)."""
    codes = list(codes)
    shared = codes[0]
    for code in codes[1:]:
        while not code.startswith(shared):
            shared = shared[:-1]
    length = max((n for n in PREFIX_LENGTH.values() if n <= len(shared)), default=2)
    return shared[:length].ljust(12, "0")


def place_names(codes) -> dict[str, str]:
    """Region code -> the place's name with its town (枫桥镇先进村), one query."""
    wanted = set(codes) | {c[:9].ljust(12, "0") for c in codes}
    names = dict(Region.objects.filter(pk__in=wanted).values_list("code", "name"))
    from accounts.models import place_name

    result = {}
    for code in codes:
        own = place_name(names.get(code, code))
        town = code[:9].ljust(12, "0")
        result[code] = own if town == code or town not in names else f"{place_name(names[town])}{own}"
    return result
