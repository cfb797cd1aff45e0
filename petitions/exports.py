"""The petition list as xlsx (jobs.list_exports): same filters, scoping and masking as the page."""

from django.utils.translation import gettext as _

from jobs.list_exports import ListExport, local, party_names
from petitions.forms import PetitionFilterForm
from petitions.selectors import petition_list


def petition_export() -> ListExport:
    def queryset(user, query):
        form = PetitionFilterForm(query or None)
        return petition_list(user, form.cleaned_data if form.is_valid() else {})

    def headers():
        return [_("Case number"), _("Summary"), _("Petitioners"), _("Region"), _("Channel"), _("Kind"),
                _("Category"), _("Status"), _("Received on"), _("Next due")]  # fmt: skip

    def row(p, full):
        return [p.number, p.summary, party_names(p, full), p.region.name, str(p.get_channel_display()),
                str(p.get_petition_kind_display()), p.category.name, str(p.get_status_display()),
                p.received_on.isoformat(), local(p.next_due_at)]  # fmt: skip

    return ListExport("petitions", "petitions.xlsx", headers, queryset, row)
