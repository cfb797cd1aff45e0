from celery import shared_task


@shared_task(name="grids.tasks.remind_missing_reports")
def remind_missing_reports() -> int:
    from grids.reminders import remind_missing

    return remind_missing()
