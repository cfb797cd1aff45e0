"""Frozen month-end statistics: what was reported upward, kept so it can be reproduced."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PETITION = "petition", _("petition statistics")
    MEDIATION = "mediation", _("mediation statistics")


class StatisticsSnapshot(models.Model):
    report = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    # {sheet: {row: {column: value}}} as tables.serialise() writes it; rates and decimals as text.
    # What was reported upward: never changed, shown as such only to the reporting unit.
    figures = models.JSONField(_("figures"))
    # The cases behind the figures, so that every other viewer sees them restricted to the cases
    # they may see (信访工作条例 §30): {"counts": {figure: {row key: [case id, …]}}, "sums":
    # {figure: {row key: [[case id, value], …]}}} as tables.members_of() writes it. None for a
    # snapshot frozen before membership was recorded ("membership unknown", docs/statistics.md).
    members = models.JSONField(_("cases counted"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("frozen by"), on_delete=models.PROTECT, related_name="+"
    )
    # The freezer's unit at the time: its members see the figures labelled as reported.
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )  # fmt: skip
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("frozen statistics")
        verbose_name_plural = _("frozen statistics")
        constraints = [
            models.UniqueConstraint(fields=["report", "region", "start", "end"], name="snapshot_once")
        ]

    def __str__(self):
        return f"{self.get_report_display()} {self.region_id} {self.start}–{self.end}"


class StatisticsDocument(models.Model):
    """The statistics PDF as one viewer's scope shows it, rendered before it is asked for
    (reporting.documents): laying a county's tables out takes WeasyPrint more than a second.

    ``digest`` is the SHA-256 of the document's HTML as the asking user's own figures render it,
    but for its "made on" date: a row is only ever served to a user whose own figures, frozen and
    live, and heading give that same HTML, so no one receives a figure their scope would not show
    them, whoever the row was first rendered for.
    """

    report = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    digest = models.CharField(max_length=64)
    pdf = models.BinaryField()
    # The unit of the user it was made for: a newer document for that unit replaces it.
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+", null=True)
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("statistics PDF")
        verbose_name_plural = _("statistics PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "region", "start", "end", "digest"], name="statistics_document_once"
            )
        ]

    def __str__(self):
        return f"{self.get_report_display()} {self.region_id} {self.start}–{self.end} PDF"


class AnalysisReportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being prepared")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class AnalysisReport(models.Model):
    """A monthly 分析研判报告 one user asked for (reporting.monthly_report, made by the worker).

    Its figures were computed for ``owner`` as a member of ``unit`` (the one scoping rule), so it is
    shown to its owner alone and only while they are still in that unit with a reporting role
    (``reporting.report_views.visible_reports``), like a background job's result.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+", null=True)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    language = models.CharField(max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=10, choices=AnalysisReportStatus.choices, default=AnalysisReportStatus.QUEUED
    )
    # The narrative sentences, shown on the report's page once it is ready.
    facts = models.JSONField(default=list, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("analysis report")
        verbose_name_plural = _("analysis reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="analysis_report_owner")]

    def __str__(self):
        return f"{self.region_id} {self.start:%Y-%m} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (AnalysisReportStatus.DONE, AnalysisReportStatus.FAILED)


# The petition tallies (issue 22): the monthly petition figures of a city or of the province counted
# from small tables that PostgreSQL triggers keep (reporting migration 0005) instead of the petition
# table. As for cases_open_tally, each change writes +1 rows for what the petition now counts under
# and -1 rows for what it left; ``n`` summed per key is the live count in every transaction's own
# snapshot, and reporting.petition_tally.fold adds each key's rows into one from time to time.
# Plain columns, not foreign keys: nothing should lock a region, unit or category row for them.
# The place is the county's code (the first 6 digits): enough for the rows of a city's report and
# of the province's, a small table for the whole province.


class PetitionReceivedTally(models.Model):
    """Petitions received per county and month, once overall (dimension "all") and once per value
    of each thing the received figures are cut by: channel, kind, category, and the flags
    collective, repeat and skip-level (dimension "flag")."""

    county = models.CharField(max_length=6)
    withheld_from_unit_id = models.BigIntegerField(null=True)
    month = models.DateField()  # the first day of the month received
    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=20)
    n = models.IntegerField()

    class Meta:
        db_table = "reporting_petition_received_tally"
        indexes = [models.Index(fields=["month", "county"], name="received_tally_month")]

    def __str__(self):
        return f"{self.county} {self.month:%Y-%m} {self.dimension}={self.value} {self.n:+d}"


class PetitionHandledTally(models.Model):
    """Petitions per county and the months of the dates the other figures are counted by (accepted,
    replied, closed; none: not yet), with whether the closing set it aside (not accepted or
    diverted) and its evaluation when it has a reply."""

    county = models.CharField(max_length=6)
    withheld_from_unit_id = models.BigIntegerField(null=True)
    accepted = models.DateField(null=True)
    replied = models.DateField(null=True)
    closed = models.DateField(null=True)  # the month of closed_at in Asia/Shanghai
    set_aside = models.BooleanField()
    evaluated = models.BooleanField()
    last_evaluation = models.CharField(max_length=20, null=True)
    n = models.IntegerField()

    class Meta:
        db_table = "reporting_petition_handled_tally"

    def __str__(self):
        return f"{self.county} {self.accepted}/{self.replied}/{self.closed} {self.n:+d}"


class PetitionVisitTally(models.Model):
    """Visits (批) and their head-counts (人次) per county, month visited and whether the petition is
    collective: the visit figures of a city's or the province's statistics."""

    county = models.CharField(max_length=6)
    withheld_from_unit_id = models.BigIntegerField(null=True)
    month = models.DateField()  # the first day of the month visited
    collective = models.BooleanField()
    n = models.IntegerField()  # visits
    persons = models.IntegerField()  # their head-counts

    class Meta:
        db_table = "reporting_petition_visit_tally"

    def __str__(self):
        return f"{self.county} {self.month:%Y-%m} {self.n:+d} / {self.persons:+d}"


class MonthSpans(models.Field):
    """A set of months as PostgreSQL keeps it (datemultirange: ranges of first days of months,
    upper bound excluded, open when NULL); written and read by the triggers of reporting migration
    0007 only. Text on SQLite, where nothing writes it."""

    def db_type(self, connection):
        return "datemultirange" if connection.vendor == "postgresql" else "text"


class PetitionDeadlineMonths(models.Model):
    """Per petition, the whole months for which each deadline figure counts it (reporting
    migration 0007): the petition as its last count left it in the deadline tally, so a change
    counts it out exactly as it was counted in. No foreign key: the row outlives its petition's
    deletion until the trigger that removes it."""

    petition_id = models.BigIntegerField(primary_key=True)
    county = models.CharField(max_length=6, null=True)
    withheld_from_unit_id = models.BigIntegerField(null=True)
    anything = MonthSpans(null=True)  # a row of the report: any deadline the pass reads
    notice_due = MonthSpans(null=True)
    notice_on_time = MonthSpans(null=True)
    handle_due = MonthSpans(null=True)
    handle_on_time = MonthSpans(null=True)
    overdue = MonthSpans(null=True)

    class Meta:
        db_table = "reporting_petition_deadline_months"

    def __str__(self):
        return f"{self.petition_id} {self.county}"


class PetitionDeadlineTally(models.Model):
    """Petitions per county and deadline figure whose months counted run from ``lo`` to before
    ``hi`` (open when NULL): a whole month M is counted by the rows with lo <= M < hi. The deadline
    figures of a city's or the province's statistics for a month that has passed."""

    county = models.CharField(max_length=6)
    withheld_from_unit_id = models.BigIntegerField(null=True)
    dimension = models.CharField(max_length=16)
    lo = models.DateField()
    hi = models.DateField(null=True)
    n = models.IntegerField()

    class Meta:
        db_table = "reporting_petition_deadline_tally"

    def __str__(self):
        return f"{self.county} {self.dimension} {self.lo:%Y-%m}..{self.hi} {self.n:+d}"
