"""The test database copied from a migrated template (tests/template_database.py): the copy is what
``migrate`` makes today, and the template's key follows every file that decides what that is."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from tests import template_database


@pytest.mark.requires_postgres
@pytest.mark.django_db
def test_the_test_database_has_every_migration_of_the_checkout_applied():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    applied = set(MigrationRecorder(connection).applied_migrations())
    assert set(executor.loader.graph.nodes) <= applied


@pytest.mark.requires_postgres
@pytest.mark.django_db
def test_the_template_of_this_checkout_exists_after_the_test_database_was_made():
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template_database.template_name()])
        assert cur.fetchone() == (1,)


def _tree(tmp_path):
    for name, text in {
        "cases/migrations/0001_initial.py": "operations = []\n",
        "cases/models/core.py": "class Case: pass\n",
        "petitions/models.py": "class Petition: pass\n",
        "cases/idcrypt.py": "KEY = 1\n",
        "cases/views.py": "def page(): pass\n",
        "tests/cases/migrations/test_x.py": "x = 1\n",
    }.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    "changed",
    ["cases/migrations/0001_initial.py", "cases/models/core.py", "petitions/models.py", "cases/idcrypt.py"],
)
def test_a_change_to_what_migrate_makes_gives_another_template(tmp_path, changed):
    root = _tree(tmp_path)
    before = template_database.key(root)
    (root / changed).write_text((root / changed).read_text() + "# changed\n")
    assert template_database.key(root) != before


def test_a_new_migration_gives_another_template(tmp_path):
    root = _tree(tmp_path)
    before = template_database.key(root)
    (root / "cases/migrations/0002_more.py").write_text("operations = []\n")
    assert template_database.key(root) != before


@pytest.mark.parametrize("changed", ["cases/views.py", "tests/cases/migrations/test_x.py"])
def test_a_change_elsewhere_keeps_the_template(tmp_path, changed):
    root = _tree(tmp_path)
    before = template_database.key(root)
    (root / changed).write_text("# changed\n")
    assert template_database.key(root) == before
