from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases import batches, list_exports, signals  # noqa: F401
        from cases.imports import jobs  # noqa: F401 - registers the import job runners

        list_exports.register(list_exports.dispute_export())

        from accounts.backends import register_request_annotation
        from cases.context_processors import UNREAD, unread_notifications

        register_request_annotation(UNREAD, unread_notifications)
