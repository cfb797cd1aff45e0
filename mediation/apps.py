from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("Mediation")

    def ready(self):
        from cases.timeline import label_fields, label_values
        from jobs import imports, list_exports
        from mediation import batches  # noqa: F401 - registers the closure-report batch runner
        from mediation.corrections import TIMELINE_LABELS
        from mediation.exports import dispute_export
        from mediation.imports import DisputeImporter
        from mediation.models import SessionOutcome

        imports.register(DisputeImporter())
        list_exports.register(dispute_export())
        label_fields(TIMELINE_LABELS)
        label_values({"outcome": SessionOutcome})
