"""督办单 numbers under concurrency: supervisors issuing at the same moment get consecutive numbers,
no duplicate and no gap (the counter row is locked in the issuing transaction)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def test_orders_issued_at_once_get_gapless_distinct_numbers():
    from accounts.demo import seed_demo
    from accounts.models import User
    from supervision.orders import issue_order
    from tests.dispute_helpers import new_dispute

    seed_demo()
    mediator = User.objects.get(username="xianjin_mediator")
    issuers = [User.objects.get(username=n) for n in ("zhuji_supervisor", "fengqiao_supervisor")]
    n = 12
    cases = [new_dispute(mediator) for _ in range(n)]
    start_line = threading.Barrier(n)
    numbers, errors = [], []

    def issue(i):
        try:
            start_line.wait()
            order = issue_order(
                issuers[i % 2], cases[i].pk, target_unit=mediator.unit, required_action="限期回复",
                target_date=timezone.localdate() + datetime.timedelta(days=3),
            )  # fmt: skip
            numbers.append(order.number)
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    year = timezone.localdate().year
    assert sorted(numbers, key=lambda s: int(s.split("第")[1][:-1])) == [
        f"诸暨〔{year}〕督字第{k}号" for k in range(1, n + 1)
    ]
