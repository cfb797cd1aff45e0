from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    """The inspection ledger (排查台账) of the grids below the villages: weekly reports, zero reports,
    the reminders for missing ones, and the grid pages. Sits beside analysis, above both case types
    (an inspection raises a dispute through the mediation intake) and below reporting."""

    name = "grids"
    verbose_name = _("Grids and inspection ledger")
