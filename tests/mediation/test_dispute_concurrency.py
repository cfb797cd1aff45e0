"""Disputes under concurrency, on two or more real database connections."""

import threading

import pytest
from django.db import connection

from cases.models import TimelineEntry
from cases.transitions import TransitionConflict
from mediation import workflow
from mediation.models import Dispute, DisputeStatus
from tests.dispute_helpers import new_dispute

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def run_together(*jobs):
    """Start every job at the same moment, each on its own connection; return what each did."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            outcomes[i] = job()
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on it
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def users(*names):
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    return [User.objects.get(username=n) for n in names]


def test_accept_and_decline_at_once_exactly_one_wins():
    mediator, supervisor = users("xianjin_mediator", "fengqiao_supervisor")
    d = new_dispute(mediator)
    outcomes = run_together(
        lambda: workflow.accept(d.pk, mediator), lambda: workflow.decline(d.pk, supervisor, "已诉至法院")
    )
    conflicts = [o for o in outcomes if isinstance(o, TransitionConflict)]
    assert len(conflicts) == 1 and sum(isinstance(o, Dispute) for o in outcomes) == 1
    d = Dispute.objects.get(pk=d.pk)
    assert d.status in (DisputeStatus.ACCEPTED, DisputeStatus.DECLINED)
    assert TimelineEntry.objects.filter(case=d, action__in=["accept", "decline"]).count() == 1


def test_disputes_registered_at_once_get_distinct_consecutive_numbers():
    (grid_worker,) = users("xianjin_grid_worker")
    outcomes = run_together(*[lambda i=i: new_dispute(grid_worker, summary=f"纠纷{i}") for i in range(12)])
    assert all(isinstance(o, Dispute) for o in outcomes), outcomes
    numbers = sorted(Dispute.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 12
    assert [int(n[-5:-1]) for n in numbers] == list(range(1, 13))
