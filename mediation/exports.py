"""The dispute list as an xlsx export job (registered with jobs.list_exports by the mediation app)."""

from django.utils.translation import gettext as _

from jobs.list_exports import ListExport, local, party_names
from mediation.forms import DisputeFilterForm
from mediation.selectors import dispute_list


def dispute_export() -> ListExport:
    def queryset(user, query):
        form = DisputeFilterForm(query or None)
        return dispute_list(user, form.cleaned_data if form.is_valid() else {})

    def headers():
        return [_("Case number"), _("Summary"), _("Parties"), _("Region"), _("Category"), _("Risk level"),
                _("Status"), _("Registered"), _("Next due")]  # fmt: skip

    def row(d, full):
        return [
            d.number, d.summary, party_names(d, full), d.region.name, d.category.name, d.risk_level.name,
            str(d.get_status_display()), local(d.opened_at, "%Y-%m-%d %H:%M"), local(d.next_due_at),
        ]  # fmt: skip

    return ListExport("disputes", "disputes.xlsx", headers, queryset, row)
