from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cases.idcrypt import SELECT_ALL, classify, rewrite_column, rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored ID number under the first key of ID_NUMBER_KEY (and encrypt any "
        "plaintext row). With --check, only count rows per key: remove an old key once none is left under it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="count, change nothing")

    def handle(self, check=False, **options):
        if not check:
            changed = rewrite_column(rotate, connection)
            self.stdout.write(f"rotate_id_keys: {changed} ID numbers re-encrypted under the first key")
        counts = Counter()
        with connection.cursor() as cur:
            cur.execute(SELECT_ALL)
            while rows := cur.fetchmany(5000):
                counts.update(classify(value) for (value,) in rows)
        self.stdout.write(
            "stored ID numbers: {current} under the first key, {older} under older keys, "
            "{plaintext} not encrypted, {unreadable} unreadable with the configured keys".format(
                **{k: counts.get(k, 0) for k in ("current", "older", "plaintext", "unreadable")}
            )
        )
        if counts.get("unreadable"):
            raise CommandError("some ID numbers open with none of ID_NUMBER_KEY: restore the removed key")
