"""The case stream: opening times over the years, a village for each case, numbers per county, year
and kind, and each case's simulated life (kinds.py), yielded in chunks of COPY lines per table."""

import datetime
import random
from bisect import bisect_right

from django.apps import apps
from django.contrib.auth.models import Permission
from django.utils import timezone

from benchmarks.scale.kinds import DisputeLife, PetitionLife
from benchmarks.scale.people import PeopleMaker
from benchmarks.scale.rows import DAY, CaseWriter, Clock, Deadlines, Tables
from cases.numbering import KIND_CHARS
from mediation.models import DisputeCategory, RiskLevel

WARM_RULES = ("dispute_accept", "mediation_period", "follow_up", "petition_route", "petition_handle",
              "petition_review_request")  # fmt: skip
RISK_WEIGHTS = {"red": 1, "orange": 3, "yellow": 10, "blue": 20}
# A repeat petition repeats one of the last this many petitions.
REPEAT_WINDOW = 5000


class Generator:
    def __init__(self, *, places, years, seed, first_person, first_case, first_session, counters):
        self.places = places
        self.rng = rng = random.Random(seed)
        today = timezone.localdate()
        first = today - datetime.timedelta(days=365 * years)
        self.clock = clock = Clock(first, (today - first).days)
        local = timezone.localtime()
        self.now = (today - first).days * DAY + local.hour * 3600 + local.minute * 60 + local.second
        self.tables = Tables()
        self.writer = writer = CaseWriter(clock, Deadlines(clock), self.tables, self.now)
        self.people = PeopleMaker(rng, first_person)
        self.next_case = first_case
        # Continue after the numbers already issued; the loader stores the final values.
        self.counters = counters
        risks = [
            pk
            for pk, code in RiskLevel.objects.values_list("pk", "code")
            for _ in range(RISK_WEIGHTS.get(code, 5))
        ]
        self.disputes = DisputeLife(
            writer, rng, list(DisputeCategory.objects.values_list("pk", "name")), risks
        )
        self.disputes.next_session = first_session
        self.petitions = PetitionLife(
            writer, rng, list(apps.get_model("petitions.PetitionCategory").objects.values_list("pk", "name")),
            Permission.objects.get(content_type__app_label="cases", codename="view_case").pk,
        )  # fmt: skip
        self.year_starts = [
            (clock.day_index(datetime.date(y, 1, 1)), y) for y in range(first.year, today.year + 1)
        ]
        self.starts = [d for d, _y in self.year_starts]
        self.petitioners = []  # (case id, people.Party), for repeat petitions

    def warm_up(self):
        """Load the deadline rules and calendar years before the loader locks the case tables."""
        for start in range(0, self.now // DAY + 1, 7):
            for code in WARM_RULES:
                self.writer.deadlines.due(code, start)

    def year_of(self, t: int) -> int:
        return self.year_starts[max(0, bisect_right(self.starts, t // DAY) - 1)][1]

    def opening_times(self, count: int) -> list[int]:
        # Working hours on any day; sorted so that numbers rise with time within a county and year.
        rng, days = self.rng, self.now // DAY + 1
        return sorted(
            min(self.now, rng.randrange(days) * DAY + rng.randint(8 * 3600, 18 * 3600)) for _ in range(count)
        )

    def chunks(self, kind: str, count: int, size: int):
        """Yield {table key: lines} for ``count`` cases of ``kind``, ``size`` cases at a time."""
        times = self.opening_times(count)
        for start in range(0, count, size):
            for t0 in times[start : start + size]:
                self.case(kind, t0)
            self.tables.lines["person"] = self.people.lines
            lines = dict(self.tables.lines)
            self.people.lines = []
            self.tables.lines.clear()
            yield lines

    def case(self, kind: str, t0: int):
        rng, people, p = self.rng, self.people, self.rng.choice(self.places)
        year = self.year_of(t0)
        key = (p.county6, year, kind)
        self.counters[key] = seq = self.counters.get(key, 0) + 1
        number = f"{p.county_short}〔{year}〕{KIND_CHARS[kind]}字第{seq:04d}号"
        created = self.clock.ts(t0)
        address = f"{p.name}{rng.randint(1, 300)}号"
        case_id = self.next_case
        self.next_case += 1
        if kind == "dispute":
            applicant = people.person(p.county6, address, created, year)
            if rng.random() < 0.1:
                respondent = people.organisation(p.county6, p.name, address, created)
            else:
                respondent = people.person(p.county6, address, created, year)
            self.disputes.make(
                case_id, number, t0, p, applicant, respondent, [applicant.name, respondent.name]
            )
            return
        repeat_of, earlier = None, self.petitioners
        if earlier and rng.random() < 0.05:
            repeat_of, person = earlier[rng.randrange(max(0, len(earlier) - REPEAT_WINDOW), len(earlier))]
        else:
            person = people.person(p.county6, address, created, year)
        earlier.append((case_id, person))
        if len(earlier) > 2 * REPEAT_WINDOW:  # only the last REPEAT_WINDOW are ever chosen
            del earlier[:REPEAT_WINDOW]
        self.petitions.make(case_id, number, t0, p, person, repeat_of)
