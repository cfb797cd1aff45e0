from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from django.urls import register_converter

        from . import batches, list_exports, signals  # noqa: F401
        from .bounds import IdConverter

        # <id:pk> in every urls.py: a primary key within bigint, else no match (404).
        register_converter(IdConverter, "id")
        from .imports import jobs  # noqa: F401 - registers the import job runners

        list_exports.register(list_exports.dispute_export())

        from accounts.backends import register_request_annotation

        from .context_processors import UNREAD, unread_notifications

        register_request_annotation(UNREAD, unread_notifications)
