"""Background work of analysis (Celery); the same code runs as ``manage.py scan_warnings``."""

from celery import shared_task

from analysis import scan


@shared_task(name="analysis.tasks.scan_warnings")
def scan_warnings() -> int:
    """Raise the warnings that the cases created since the last run reveal; safe to run twice."""
    return len(scan.scan().raised)
