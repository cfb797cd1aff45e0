"""Create (or bring up to date) the PostgreSQL role the application runs as.

The role may read and write ordinary tables, but on audit tables (those carrying the append-only
trigger, cases.audit.protected_tables) only SELECT and INSERT, and on the timeline chain heads
nothing at all: the chain trigger writes them as their owner (SECURITY DEFINER). It never gets
TRUNCATE, so the session setting that lets the test suite's flush TRUNCATE gains it nothing, and it
owns no table, so it cannot disable a trigger. Migrations run as the owner; run this command after
every ``migrate`` (it is idempotent) so that new tables get their grants.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg2 import sql

from cases.audit import PROTECT_TRIGGER

READ_ONLY = ("django_migrations",)


def audit_tables() -> dict[str, str]:
    """Protected table -> kind ('log' for audit rows, 'head' for chain heads), from the triggers."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT tgrelid::regclass::text, encode(tgargs, 'escape') FROM pg_trigger WHERE tgname = %s",
            [PROTECT_TRIGGER],
        )
        return {table: args.split("\\000")[0] for table, args in cur.fetchall()}


def harden(role: str, password: str | None = None, schema: str = "public") -> dict[str, list[str]]:
    """Create or update ``role``; return the tables per grant for the report."""
    protected = audit_tables()
    ident = sql.Identifier(role)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        verb = "ALTER" if cur.fetchone() else "CREATE"
        cur.execute(
            sql.SQL(
                verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION"
            ).format(ident)
        )
        if password:
            cur.execute(sql.SQL("ALTER ROLE {} PASSWORD %s").format(ident), [password])
        cur.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(connection.settings_dict["NAME"]), ident
            )
        )
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), ident))
        cur.execute(
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(sql.Identifier(schema), ident)
        )
        cur.execute(
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                sql.Identifier(schema), ident
            )
        )
        cur.execute(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v') ORDER BY 1",
            [schema],
        )
        grants: dict[str, list[str]] = {
            "SELECT, INSERT, UPDATE, DELETE": [],
            "SELECT, INSERT": [],
            "SELECT": [],
            "none": [],
        }
        for (table,) in cur.fetchall():
            kind = protected.get(table)
            privileges = (
                "none"
                if kind == "head"
                else "SELECT, INSERT"
                if kind
                else "SELECT"
                if table in READ_ONLY
                else "SELECT, INSERT, UPDATE, DELETE"
            )
            grants[privileges].append(table)
            if privileges != "none":
                # Table names come from the catalogue (regclass text is already quoted where needed).
                cur.execute(sql.SQL("GRANT " + privileges + " ON {} TO {}").format(sql.SQL(table), ident))
    return grants


class Command(BaseCommand):
    help = (
        "Create or update the application's database role: full rights on ordinary tables, SELECT and "
        "INSERT only on audit tables, none on chain heads, never TRUNCATE. Run after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="name of the application role, e.g. jiefen_app")
        parser.add_argument(
            "--password-env",
            default="",
            help="name of an environment variable holding the role's password (never on the command line)",
        )
        parser.add_argument("--schema", default="public")

    def handle(self, role, password_env="", schema="public", **options):
        if connection.vendor != "postgresql":
            raise CommandError("harden_db_roles needs PostgreSQL")
        password = os.environ.get(password_env) if password_env else None
        if password_env and not password:
            raise CommandError(f"{password_env} is not set")
        grants = harden(role, password, schema)
        for privileges, tables in grants.items():
            if tables:
                self.stdout.write(
                    f"{privileges}: {len(tables)} tables"
                    + (f" ({', '.join(tables)})" if len(tables) < 8 else "")
                )
        self.stdout.write(
            f"role {role} is ready; run web, worker and beat with it, migrations with the owner"
        )
