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


class CaseOpenedTally(models.Model):
    """Cases opened per county, month opened (Asia/Shanghai), kind and category, kept by the triggers
    of reporting migration 0008 (PostgreSQL only): the heat tables and category trends of a city's
    or the province's analysis page (reporting.opened_tally) and the baselines of the warning scan's
    surge rules (analysis.surge). In the case core since cases migration 0038, so that both floors
    read it; its table keeps its name."""

    county = models.CharField(max_length=6)
    withheld_from_unit_id = models.BigIntegerField(null=True)
    month = models.DateField()  # the first day of the month opened
    kind = models.CharField(max_length=10)
    category_id = models.BigIntegerField(null=True)  # the dispute's or the petition's category
    n = models.IntegerField()

    class Meta:
        db_table = "reporting_case_opened_tally"
        indexes = [models.Index(fields=["month", "county"], name="opened_tally_month")]

    def __str__(self):
        return f"{self.county} {self.month:%Y-%m} {self.kind} {self.category_id} {self.n:+d}"
