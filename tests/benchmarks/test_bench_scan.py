"""The scan bench's own seeding and cleanup (benchmarks.bench.scan) leave the database as they found
it: no bench case, deadline or reminder, and the open-case tally still equal to the cases."""

import datetime

import pytest
from django.utils import timezone

from accounts.demo import VILLAGES
from benchmarks.bench.scan import BENCH_STATUS, cleanup, seed_open_deadlines, time_scan
from cases.models import Case, Deadline, OpenCaseTally
from supervision.models import Reminder
from tests.cases.test_tally import live as open_case_counts
from tests.cases.test_tally import summed as tally_sums

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def test_seed_scan_and_cleanup_leave_nothing_behind(demo):
    since = timezone.now() - datetime.timedelta(seconds=1)
    before = (open_case_counts(), Deadline.objects.count(), Reminder.objects.count())
    seed_open_deadlines(300, VILLAGES["xianjin"], due_fraction=0.5)
    assert Case.objects.filter(status=BENCH_STATUS, closed_at__isnull=True).count() == 300
    assert tally_sums() == open_case_counts()  # the trigger counted the bench's cases
    assert time_scan("test")["created"] == 150  # the half due tomorrow
    cleanup(since)
    assert not Case.objects.filter(status=BENCH_STATUS).exists()
    assert (open_case_counts(), Deadline.objects.count(), Reminder.objects.count()) == before
    assert tally_sums() == before[0]
    # Their +1 and -1 rows folded away: one row per key of the cases that were there before.
    assert OpenCaseTally.objects.count() == len(before[0])
