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
        from mediation.scheduling import TIMELINE_LABELS as SCHEDULE_LABELS

        imports.register(DisputeImporter())
        list_exports.register(dispute_export())
        label_fields(TIMELINE_LABELS)

        from cases.lists import register_list
        from mediation.forms import DisputeFilterForm
        from mediation.selectors import dispute_list

        # Saved filters of the dispute list, and their counts on the home page (cases.saved_filters).
        register_list("disputes", label=_("Disputes"), form_class=DisputeFilterForm, selector=dispute_list)
        label_fields(SCHEDULE_LABELS)
        label_values({"outcome": SessionOutcome})
        from mediation.models import RouteChannel, RouteOutcome
        from mediation.routes import TIMELINE_LABELS as ROUTE_LABELS

        label_fields(ROUTE_LABELS)
        # A route's limit is the receiving unit's: its reminders go there (cases.deadline_owners).
        from cases.deadline_owners import register_deadline_owner
        from mediation.routes import ROUTE_DEADLINES, receiving_units

        register_deadline_owner(ROUTE_DEADLINES, receiving_units)
        label_values({"channel": RouteChannel, "route_outcome": RouteOutcome})
        # The party's evaluation given online (mediation.evaluation; petitions' record the same key).
        from cases.models import Satisfaction

        label_fields({"value": _("Evaluation")})
        label_values({"value": Satisfaction})
