"""Backfill the dispute -> petition links (analysis.Conversion) of petitions registered before
migration analysis/0006, or written without signals and older than the scan's watermark. Safe to
run again (the unique pair); batches of 2,000 petitions, each its own transaction."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from analysis.conversions import link_petitions
from cases.models import Case

BATCH = 2000


class Command(BaseCommand):
    help = "Link every petition to the earlier disputes of its petitioners (idempotent)."

    def handle(self, *args, **options):
        started, last, petitions, written = time.monotonic(), 0, 0, 0
        while True:
            ids = list(
                Case.objects.filter(kind="petition", pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            with transaction.atomic():
                written += link_petitions(ids)
            petitions, last = petitions + len(ids), ids[-1]
        self.stdout.write(
            f"{petitions} petitions read, {written} links written in {time.monotonic() - started:.1f} s"
        )
