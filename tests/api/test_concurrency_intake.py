"""Idempotent intake under concurrency: 50 posts of the same work order at the same moment, each
thread with its own database connection, make one case; every answer names it (one 201, the rest
200)."""

import threading

import pytest
from django.db import connection

from api.models import IntakeRecord
from cases.models import Case
from tests.api.helpers import bearer, county_centre, map_category, service_client, token_for
from tests.api.test_intake import order

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def test_50_concurrent_posts_of_one_external_id_make_one_case():
    from accounts.demo import seed_demo

    seed_demo()
    map_category()
    token = token_for(service_client(county_centre()))
    n = 50
    answers: list = [None] * n
    start_line = threading.Barrier(n)

    def post(i):
        try:
            connection.ensure_connection()  # opened before the start line, not in the race
            start_line.wait()
            response = bearer(token).post("/api/v1/intake/", order(), content_type="application/json")
            answers[i] = (response.status_code, response.json().get("id"))
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on every one
            answers[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(a[0] for a in answers if isinstance(a, tuple))
    assert statuses == [200] * (n - 1) + [201], answers
    assert len({a[1] for a in answers}) == 1
    assert Case.objects.count() == 1 and IntakeRecord.objects.count() == 1
