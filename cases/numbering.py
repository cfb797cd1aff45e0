"""Case numbers unique per county, year and kind, e.g. 诸暨〔2026〕调字第0001号.

The counter row is locked inside the creating transaction, so two clerks registering at once get
consecutive numbers and a rolled-back registration burns no number. The unique constraint on
``Case.number`` is the backstop.
"""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Region
from cases.models import CaseKind, CaseNumberCounter

KIND_CHARS = {CaseKind.DISPUTE: "调", CaseKind.PETITION: "访"}


def county_short_name(county: Region) -> str:
    """诸暨市 -> 诸暨, 上虞区 -> 上虞, 嵊泗县 -> 嵊泗; two-character names stay whole."""
    name = county.name
    if len(name) > 2 and name[-1] in "市县区旗":
        return name[:-1]
    return name


def next_sequence(county_code: str, year: int, kind: str, count: int = 1) -> int:
    """The next sequence number (with ``count`` > 1 the last of that many consecutive ones); must run
    inside the transaction that stores the case. ``kind`` names the series: a case kind, or another
    numbered document of the county (supervision.numbering: 督办单)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate case numbers inside the transaction that creates the case")
    try:
        with transaction.atomic():
            CaseNumberCounter.objects.get_or_create(county_code=county_code, year=year, kind=kind)
    except IntegrityError:
        pass  # another transaction created the row first; lock it below
    counter = CaseNumberCounter.objects.select_for_update().get(county_code=county_code, year=year, kind=kind)
    counter.last += count
    counter.save(update_fields=["last"])
    return counter.last


def allocate_case_number(case) -> str:
    """Give ``case`` its number (county of its region, year of its opening in Asia/Shanghai)."""
    county_code = case.region_id[:6]
    county = Region.objects.get(code=county_code + "000000")
    year = timezone.localtime(case.opened_at).year
    seq = next_sequence(county_code, year, case.kind)
    case.number = f"{county_short_name(county)}〔{year}〕{KIND_CHARS[case.kind]}字第{seq:04d}号"
    return case.number


NUMBER_PATTERN = re.compile(r"(?P<county>.+)〔(?P<year>[0-9]{4})〕(?P<char>[调访])字第(?P<seq>[0-9]+)号")


class NumberBook:
    """Numbers for many cases created in one transaction (an import).

    Each counter row is locked once and written back by ``save()`` before the commit. Numbers an
    import keeps from the old records are noted first (``keep``), so a counter never hands out a
    number that the same file, or a later registration, would collide with.
    """

    def __init__(self):
        self._counters: dict[tuple, CaseNumberCounter] = {}
        self._counties: dict[str, Region] = {}

    def _county(self, county_code: str) -> Region:
        if county_code not in self._counties:
            self._counties[county_code] = Region.objects.get(code=county_code + "000000")
        return self._counties[county_code]

    def _counter(self, county_code: str, year: int, kind: str) -> CaseNumberCounter:
        key = (county_code, year, kind)
        if key not in self._counters:
            next_sequence(county_code, year, kind)  # creates and locks the row (and takes one number)
            counter = CaseNumberCounter.objects.select_for_update().get(
                county_code=county_code, year=year, kind=kind
            )
            counter.last -= 1  # give the probe's number back; the row stays locked
            self._counters[key] = counter
        return self._counters[key]

    def keep(self, case) -> None:
        """A number from the old records that follows this county's pattern moves the counter past it."""
        match = NUMBER_PATTERN.fullmatch(case.number)
        if not match or KIND_CHARS.get(case.kind) != match["char"]:
            return
        county_code = case.region_id[:6]
        if match["county"] != county_short_name(self._county(county_code)):
            return
        counter = self._counter(county_code, int(match["year"]), case.kind)
        counter.last = max(counter.last, int(match["seq"]))

    def allocate(self, case) -> str:
        county_code = case.region_id[:6]
        year = timezone.localtime(case.opened_at).year
        counter = self._counter(county_code, year, case.kind)
        counter.last += 1
        short = county_short_name(self._county(county_code))
        case.number = f"{short}〔{year}〕{KIND_CHARS[case.kind]}字第{counter.last:04d}号"
        return case.number

    def save(self) -> None:
        for counter in self._counters.values():
            counter.save(update_fields=["last"])
