"""Running background jobs (cases.models.Job) and reporting their progress.

A job kind registers a runner with ``@runner(kind)``; ``start_job`` stores the row and hands its id
to Celery after the commit (``jobs.tasks.run_job``), or runs it at once for small work. A runner
gets the job and a ``Progress`` and finishes with ``complete``; raising ``JobFailed`` fails the job
with a message for the user, any other exception with a generic one (and a log line).

Progress of work that runs inside one long transaction (an import) would be invisible until the
commit, so on PostgreSQL ``Progress`` writes it through a second connection of its own.
"""

import logging
import time
from collections.abc import Callable

from celery import current_app
from django.db import connection, connections, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.scoping import visible_cases
from cases.models import Case
from cases.pii import can_view_full_pii
from jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)
RUNNERS: dict[str, Callable] = {}


class JobFailed(Exception):
    """A failure the user can act on; the message (Chinese) is shown on the job's page."""

    def __init__(self, message, report=None):
        super().__init__(message)
        self.report = report


class AlreadyDone(Exception):
    """Another run of the same job (a redelivered message) finished first."""


def runner(kind: str):
    def register(function):
        RUNNERS[kind] = function
        return function

    return register


def visible_jobs(user):
    """A job is its owner's alone, and only while the owner is in the unit that started it: its
    result was computed with that unit's jurisdiction."""
    if not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    return Job.objects.filter(owner_id=user.pk, unit_id=user.unit_id)


def result_still_visible(user, job: Job) -> bool:
    """Whether ``user`` may still fetch the result of ``job``: it records the cases it holds
    (``case_ids``) and whether it shows personal data in full, and both are checked again under
    the one rule at the download, since a case withheld since (信访工作条例 §30), a grant
    revoked or a role taken away changes what the owner may see after the file was written. A
    result that recorded nothing (written before this check) is not served."""
    if job.case_ids is None:
        return False
    if job.report.get("full_pii") and not can_view_full_pii(user):
        return False
    held = set(job.case_ids)
    return not held or visible_cases(user, Case.objects.filter(pk__in=held)).count() == len(held)


def get_job_or_404(user, pk) -> Job:
    try:
        return visible_jobs(user).get(pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc


def start_job(kind: str, owner, params: dict, *, total: int = 0, inline: bool = False) -> Job:
    """Store a job; run it now (``inline``) or in the worker once the row is committed."""
    job = Job.objects.create(kind=kind, owner=owner, unit_id=owner.unit_id, params=params, total=total)
    if inline:
        run_job(job.pk)
        job.refresh_from_db()
    else:
        queue(job)
    return job


# The task is named, not imported: jobs.tasks imports this module, and the worker finds it by name.
RUN_JOB_TASK = "jobs.tasks.run_job"


def queue(job: Job) -> None:
    """Hand the job to the worker once the row is committed (before, the worker could look for a row
    it cannot see yet)."""
    transaction.on_commit(lambda: current_app.signature(RUN_JOB_TASK, args=(job.pk,)).delay())


class Progress:
    """Throttled progress updates (at most a few per second) that the job's page can read."""

    def __init__(self, job: Job, interval: float = 0.5):
        self.job, self.interval, self._last, self._side = job, interval, 0.0, None

    def __call__(self, done: int, total: int | None = None, *, force: bool = False):
        self.job.done = done
        if total is not None:
            self.job.total = total
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        values = {"done": self.job.done, "total": self.job.total}
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(**values)
        elif connection.vendor == "postgresql":
            self._write_aside(values)
        # SQLite allows one writer: inside a transaction the page sees the figure at the end.

    def _write_aside(self, values):
        if self._side is None:
            self._side = connections.create_connection("default")
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET done = %s, total = %s WHERE id = %s",  # noqa: S608 - a model's table
                [values["done"], values["total"], self.job.pk],
            )

    def close(self):
        if self._side is not None:
            self._side.close()
            self._side = None


def complete(job: Job, *, report=None, result_path: str = "", message: str = "", case_ids=None) -> None:
    """Mark the job done. Inside the runner's transaction, so its work and "done" commit together,
    and a second run of the same job (a redelivered message) rolls back instead of repeating it."""
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.status == JobStatus.DONE:
            raise AlreadyDone
        job.status = JobStatus.DONE
        job.done = job.total if job.total else job.done
        job.report = report if report is not None else job.report
        job.result_path = result_path or job.result_path
        job.message = message
        job.finished_at = timezone.now()
        job.case_ids = sorted(case_ids) if case_ids is not None else job.case_ids
        fields = ["status", "done", "total", "report", "result_path", "message", "finished_at", "case_ids"]
        job.save(update_fields=fields)


def _fail(job: Job, message: str, report=None) -> None:
    values = {"status": JobStatus.FAILED, "message": message, "finished_at": timezone.now()}
    if report is not None:
        values["report"] = report
    Job.objects.filter(pk=job.pk).exclude(status=JobStatus.DONE).update(**values)


def run_job(job_id: int) -> str:
    """Claim and run one job. A job that is done or failed is left alone; one still marked running
    (its worker was killed, the message redelivered) runs again, since its work rolled back."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return "skipped"
        job.status, job.started_at = JobStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    if not job.owner.is_active or job.owner.unit_id != job.unit_id:
        # Run for the owner as they are now, the result would reflect another jurisdiction than the
        # one they asked in; shown only while they stay there (visible_jobs), it would not be seen.
        with translation.override(job.params.get("language") or "zh-hans"):
            _fail(job, _("You moved to another unit or your account was closed since the job started."))
        return "failed"
    progress = Progress(job)
    try:
        with translation.override(job.params.get("language") or "zh-hans"):
            RUNNERS[job.kind](job, progress)
            job.refresh_from_db()
            if job.status != JobStatus.DONE:
                complete(job)
    except AlreadyDone:
        return "duplicate"
    except JobFailed as exc:
        _fail(job, str(exc), exc.report)
        return "failed"
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.params.get("language") or "zh-hans"):
            _fail(
                job,
                _("The job stopped because of an internal error; nothing was changed.")
                + " "
                + _("Try again or tell the administrator."),
            )
        return "failed"
    finally:
        progress.close()
    return "done"
