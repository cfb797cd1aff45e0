"""Open cases counted per place, kept by the database as cases change (issue 22).

A PostgreSQL trigger on ``cases_case`` (migration cases/0035) writes one row per change that moves an
open case into or out of a key: +1 for the key it now counts under, -1 for the one it left. The sum
of ``n`` per key is therefore always the live count of open cases with that key, in every
transaction's own snapshot; ``cases.tally.fold`` adds the rows of each key into one from time to
time (beat ``cases.tasks.fold_open_tally``) so that the table stays about one row per key.
"""

from django.db import models


class OpenCaseTally(models.Model):
    # Plain columns, not foreign keys: the trigger writes them on every case change and nothing
    # should lock the region or unit rows for it, or cascade into this table.
    region_id = models.CharField(max_length=12)
    handling_unit_id = models.BigIntegerField(null=True)
    withheld_from_unit_id = models.BigIntegerField(null=True)
    n = models.IntegerField()

    class Meta:
        db_table = "cases_open_tally"
        indexes = [
            models.Index(fields=["region_id"], name="open_tally_region", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self):
        return f"{self.region_id} {self.handling_unit_id} {self.n:+d}"
