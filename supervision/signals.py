"""What supervision does when the case core announces a change (connected in apps.ready)."""

from supervision.models import Reminder, ReminderState


def drop_pending_reminders(sender, deadline, **kwargs) -> None:
    """A deadline that moved or closed: undecided reminders go; the next scan decides again."""
    Reminder.objects.filter(deadline_id=deadline.pk, state=ReminderState.PENDING).delete()
