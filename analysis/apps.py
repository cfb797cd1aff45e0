from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    """Early warnings (研判预警): rules, the incremental scan, the warning lifecycle and its pages.
    Sits above both case types (it reads their categories, risk levels and visits) and below
    reporting."""

    name = "analysis"
    verbose_name = _("Analysis and early warning")

    def ready(self):
        from django.db.models.signals import post_save

        from analysis import case_page, conversions, duty_selectors
        from analysis.selectors import panel
        from cases.models import CaseParty
        from cases.page_extras import (
            register_case_annotation,
            register_case_button,
            register_case_section,
            register_party_button,
        )
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
        # The case pages and the person look-up (cases.page_extras): 包案, the dispute ↔ petition
        # links, 列为重点人员.
        register_case_button("baoan", case_page.baoan_buttons)
        register_case_annotation("has_conversions", case_page.has_conversions)
        register_case_section("conversions", "analysis/_case_conversions.html", case_page.conversion_section)
        register_party_button("key_person", case_page.key_person_buttons)
        # A petitioner recorded on a petition links the disputes they were a party of (analysis.conversions).
        post_save.connect(conversions.party_saved, sender=CaseParty, dispatch_uid="analysis.conversions")
