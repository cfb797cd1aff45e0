from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    """Early warnings (研判预警): rules, the incremental scan, the warning lifecycle and its pages.
    Sits above both case types (it reads their categories, risk levels and visits) and below
    reporting."""

    name = "analysis"
    verbose_name = _("Analysis and early warning")

    def ready(self):
        from analysis import duty_selectors
        from analysis.selectors import panel
        from supervision.panels import register_panel

        register_panel(
            "warnings",
            page="home",
            template="analysis/_panel.html",
            build=lambda user: panel(user, mine=True),
        )
        register_panel(
            "warnings",
            page="dashboard",
            template="analysis/_panel.html",
            build=lambda user: panel(user, mine=False),
        )
        # 我的包案 and the key-person reviews due: the leader's, staff's and responsible person's own.
        register_panel("baoan", page="home", template="analysis/_duty_panel.html", build=duty_selectors.panel)
