"""The petition list as xlsx (jobs.list_exports): same filters, scoping and masking as the page, and
the columns a clerk keeps a register with (handling unit and handler, outcome, dates, days taken)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.list_exports import ListExport, days_taken, local_date, party_names
from petitions.forms import PetitionFilterForm
from petitions.selectors import petition_list


def petition_export() -> ListExport:
    def queryset(user, query):
        form = PetitionFilterForm(query or None)
        rows = petition_list(user, form.cleaned_data if form.is_valid() else {})
        return rows.select_related("handling_unit", "handler")

    def headers():
        return [_("Case number"), _("Summary"), _("Petitioners"), _("Region"), _("Channel"), _("Kind"),
                _("Category"), _("Handling unit"), _("Handler"), _("Status"), _("Outcome"), _("Received on"),
                _("Closed"), _("Days taken"), _("Next due")]  # fmt: skip

    def row(p, full):
        return [p.number, p.summary, party_names(p, full), p.region.name, str(p.get_channel_display()),
                str(p.get_petition_kind_display()), p.category.name,
                p.handling_unit.name if p.handling_unit else "", str(p.handler) if p.handler else "",
                str(p.get_status_display()), str(p.get_outcome_display()) if p.outcome else "",
                p.received_on, local_date(p.closed_at), days_taken(p, p.received_on),
                local_date(p.next_due_at)]  # fmt: skip

    return ListExport("petitions", gettext_lazy("Petition register"), headers, queryset, row)
