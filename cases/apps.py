from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from django.urls import register_converter

        from cases import signals  # noqa: F401
        from cases.bounds import IdConverter

        # <id:pk> in every urls.py: a primary key within bigint, else no match (404).
        register_converter(IdConverter, "id")
