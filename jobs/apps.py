from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs, the import framework and list exports. Knows no case type: each case type
    registers its importer, list export and batch documents in its own ready()."""

    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from jobs.imports import jobs  # noqa: F401 - registers the import job runners
