"""Background jobs a user starts and watches: an import, a month's closure reports as a zip.

The row is the job's whole state (the broker message only carries its id), so a page can show
progress and a lost message is visible as a job that stays queued.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    IMPORT_CHECK = "import_check", _("import: check the file")
    IMPORT = "import", _("import")
    CLOSURE_BATCH = "closure_batch", _("closure reports of a month")
    LIST_EXPORT = "list_export", _("list export to Excel")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    # The owner's unit when the job started: its result reflects that unit's jurisdiction, so it is
    # shown only while the owner still belongs to it.
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    # What the job found or did (per-row errors of an import, counts), shown on its page.
    report = models.JSONField(default=dict, blank=True)
    # Relative to MEDIA_ROOT; never served directly, only through the owner's download view.
    result_path = models.CharField(max_length=200, blank=True)
    # The cases the result file holds (None: not recorded, a result from before they were): the
    # download checks them again for the user who fetches it (jobs.views.jobs.job_download_view).
    case_ids = models.JSONField(null=True, blank=True, default=None)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        db_table = "cases_job"  # kept from when the model lived in cases (migration 0001)
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_created")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class WorkerHeartbeat(models.Model):
    """Last time a background worker proved it runs (the beat-scheduled heartbeat task)."""

    name = models.CharField(max_length=100, primary_key=True)
    last_seen = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "cases_workerheartbeat"  # kept from when the model lived in cases (migration 0001)
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.name} {self.last_seen:%Y-%m-%d %H:%M}"
