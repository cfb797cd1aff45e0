"""The key-person and 包案 timelines are audit trails: PostgreSQL refuses to change or delete their
rows, as for the warning's and the case's (migration analysis/0006; SQLite, the demo, has no
triggers)."""

import datetime

import pytest
from django.db import ProgrammingError, connection, transaction
from django.utils import timezone

from analysis.duties import assign
from analysis.duty_models import KeyPersonEvent, ResponsibilityEvent
from tests.analysis.test_key_persons import listed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"),
]


@pytest.mark.parametrize("model", [KeyPersonEvent, ResponsibilityEvent])
def test_the_database_refuses_update_and_delete_of_a_timeline_entry(demo, model):
    kp, case = listed(demo, user="fengqiao_supervisor", key="xianjin")
    actor = demo["fengqiao_supervisor"]
    assign(actor, leader=actor, unit=actor.unit, staff=[], due_on=timezone.localdate() + datetime.timedelta(days=9),
           duty="稳控", case_pk=case.pk)  # fmt: skip
    entry = model.objects.first()
    assert entry is not None
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        model.objects.filter(pk=entry.pk).update(description="改写")
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        model.objects.filter(pk=entry.pk).delete()
    with (
        pytest.raises(ProgrammingError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(f"UPDATE {model._meta.db_table} SET action = 'x'")  # noqa: S608 - a fixed table name
    assert model.objects.get(pk=entry.pk).description == entry.description
    # Appending goes on.
    owner = "key_person_id" if model is KeyPersonEvent else "responsibility_id"
    model.objects.create(**{owner: getattr(entry, owner)}, action="note", description="追加")
