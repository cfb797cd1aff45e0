"""Imports as background jobs: the uploaded file is stored privately, checked (a dry run) by one
job and imported by a second one that the user starts after reading the check's report."""

import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from jobs.imports import IMPORTERS, FileRefused, ImportRefused, check_file, import_file
from jobs.models import JobKind
from jobs.runner import JobFailed, complete, runner

UPLOAD_DIR = "imports"


def store_upload(name: str, data: bytes) -> str:
    """Keep the file under MEDIA_ROOT/imports with a random name (never the user's file name)."""
    suffix = name.rsplit(".", 1)[-1].lower()
    relative = f"{UPLOAD_DIR}/{uuid.uuid4().hex}.{suffix}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative


def _read(job) -> bytes:
    path = Path(settings.MEDIA_ROOT) / job.params["path"]
    if not path.is_file():
        raise JobFailed(_("The uploaded file is no longer there; upload it again."))
    return path.read_bytes()


@runner(JobKind.IMPORT_CHECK)
def run_check(job, progress):
    try:
        checked = check_file(job.params["importer"], job.owner, job.params["filename"], _read(job), progress)
    except FileRefused as exc:
        raise JobFailed(str(exc)) from exc
    report = checked.report()
    if checked.errors:
        message = _("%(bad)d of %(rows)d rows have errors; correct the file and upload it again.") % {
            "bad": report["bad_rows"],
            "rows": report["rows"],
        }
    elif not checked.rows:
        message = _("The file has no rows to import.")
    else:
        message = _("All %(rows)d rows passed the check; nothing has been imported yet.") % {
            "rows": report["rows"]
        }
    job.total = job.done = report["rows"]
    complete(job, report=report, message=message)


@runner(JobKind.IMPORT)
def run_import(job, progress):
    data = _read(job)
    importer = IMPORTERS[job.params["importer"]]

    def written(ids):
        job.total = job.done = len(ids)
        key = "updated" if importer.updates else "created"
        complete(job, report={key: len(ids)},
                 message=str(importer.done_message) % {"count": len(ids)})  # fmt: skip

    try:
        import_file(
            job.params["importer"], job.owner, job.params["filename"], data,
            progress=progress, on_written=written,
        )  # fmt: skip
    except FileRefused as exc:
        raise JobFailed(str(exc)) from exc
    except ImportRefused as exc:
        raise JobFailed(str(exc), exc.checked.report()) from exc
    (Path(settings.MEDIA_ROOT) / job.params["path"]).unlink(missing_ok=True)
