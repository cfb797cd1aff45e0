"""Background work of analysis (Celery); the same code runs as ``manage.py scan_warnings``."""

from celery import shared_task

from analysis import scan


@shared_task(name="analysis.tasks.scan_warnings")
def scan_warnings() -> int:
    """Raise the warnings that the cases created since the last run reveal; safe to run twice."""
    return len(scan.scan().raised)


@shared_task(name="analysis.tasks.remind_duties")
def remind_duties() -> int:
    """包案 time limits and key-person reviews approaching or passed; safe to run often or twice."""
    from analysis import duty_reminders

    return duty_reminders.remind()
