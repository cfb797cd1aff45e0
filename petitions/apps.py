from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self):
        from jobs.imports import register
        from petitions.imports import PetitionImporter

        register(PetitionImporter())

        from petitions.exchange_import import ExchangeImporter

        # The 信访信息系统 exchange file read back (updates of existing petitions).
        register(ExchangeImporter())

        from jobs import list_exports
        from petitions.exchange import exchange_exports
        from petitions.exports import petition_export

        list_exports.register(petition_export())
        for spec in exchange_exports():
            list_exports.register(spec)

        from cases.inbox import register_due_after_closure, register_review_queue, register_review_statuses
        from petitions.models import PetitionStatus

        # The home inbox's "reviews waiting" (信访工作条例 §35, §36).
        register_review_statuses(PetitionStatus.REVIEW_REQUESTED, PetitionStatus.REREVIEW_REQUESTED)
        register_review_queue(pending_reviews_of)
        # A matter finalised by 复核 still owes the original unit's follow-up by a date (§36,
        # petitions.followup): the inbox's overdue and due-soon lists keep it until reported.
        register_due_after_closure(PetitionStatus.FINALIZED)

        from cases.lists import register_list
        from petitions.forms import PetitionFilterForm
        from petitions.selectors import petition_list

        # Saved filters of the petition list, and their counts on the home page (cases.saved_filters).
        register_list(
            "petitions", label=_("Petitions"), form_class=PetitionFilterForm, selector=petition_list
        )


def pending_reviews_of(unit):
    """The petitions whose pending 复查/复核 ``unit`` decides (ReviewRequest.reviewing_unit)."""
    from petitions.models import ReviewRequest

    return ReviewRequest.objects.filter(decided_on__isnull=True, reviewing_unit_id=unit).values("petition_id")
