from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Reminders, notifications, supervision orders (督办单), the dashboard and the home inbox.
    Knows no case type: it reads the core's Case and Deadline rows."""

    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from cases.deadlines import deadline_changed
        from supervision.signals import drop_pending_reminders

        deadline_changed.connect(drop_pending_reminders, dispatch_uid="supervision.drop_pending_reminders")

        from cases.handoffs import case_opened, handed_off, handed_off_many
        from supervision.handoffs import mark_opened, notify_handoff, notify_handoffs

        handed_off.connect(notify_handoff, dispatch_uid="supervision.notify_handoff")
        handed_off_many.connect(notify_handoffs, dispatch_uid="supervision.notify_handoffs")
        case_opened.connect(mark_opened, dispatch_uid="supervision.mark_opened")

        from accounts.backends import register_request_annotation
        from supervision.context_processors import UNREAD, unread_notifications

        register_request_annotation(UNREAD, unread_notifications)

        from supervision.inbox import waiting_annotations

        # The menu's count of what waits, in the same query (supervision.inbox).
        for name, build in waiting_annotations().items():
            register_request_annotation(name, build)
