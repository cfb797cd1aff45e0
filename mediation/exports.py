"""The dispute list as an xlsx export job (registered with jobs.list_exports by the mediation app):
the columns a clerk keeps a register with (who mediated, the outcome, the dates, the days taken)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.list_exports import ListExport, days_taken, local_date, party_names
from mediation.forms import DisputeFilterForm
from mediation.models import DisputeStatus
from mediation.selectors import dispute_list


def outcome(dispute) -> str:
    """What came of the mediation: the agreement (and whether it was performed), the termination and
    the route the parties were told of (人民调解法 §26), a refusal or a referral; empty while open."""
    agreement = dispute.agreement if _has_agreement(dispute) else None
    if agreement is not None:
        text = str(agreement.get_form_display())
        if agreement.performed_on:
            text += _("; performed on %(date)s") % {"date": agreement.performed_on.isoformat()}
        return text
    if dispute.status == DisputeStatus.TERMINATED or dispute.termination_route:
        route = dispute.get_termination_route_display()
        return (
            _("mediation terminated; told of %(route)s") % {"route": route}
            if route
            else _("mediation terminated")
        )
    # The state moves on (archived), the reason stays: an archived refusal is still a refusal.
    if dispute.status == DisputeStatus.DECLINED or dispute.decline_reason:
        return str(DisputeStatus.DECLINED.label)
    if dispute.status == DisputeStatus.REFERRED or dispute.referred_to:
        return (
            _("referred to %(unit)s") % {"unit": dispute.referred_to}
            if dispute.referred_to
            else _("referred")
        )
    return ""


def _has_agreement(dispute) -> bool:
    try:
        return dispute.agreement is not None
    except type(dispute).agreement.RelatedObjectDoesNotExist:
        return False


def dispute_export() -> ListExport:
    def queryset(user, query):
        form = DisputeFilterForm(query or None)
        rows = dispute_list(user, form.cleaned_data if form.is_valid() else {})
        return rows.select_related("handling_unit", "agreement")

    def headers():
        return [_("Case number"), _("Summary"), _("Parties"), _("Region"), _("Category"), _("Risk level"),
                _("Handling unit"), _("Mediator"), _("Status"), _("Outcome"), _("Registered"), _("Closed"),
                _("Days taken"), _("Next due")]  # fmt: skip

    def row(d, full):
        return [
            d.number, d.summary, party_names(d, full), d.region.name, d.category.name, d.risk_level.name,
            d.handling_unit.name if d.handling_unit else "", str(d.handler) if d.handler else "",
            str(d.get_status_display()), outcome(d), local_date(d.opened_at), local_date(d.closed_at),
            days_taken(d), local_date(d.next_due_at),
        ]  # fmt: skip

    return ListExport("disputes", gettext_lazy("Dispute register"), headers, queryset, row)
