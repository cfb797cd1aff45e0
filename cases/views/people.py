"""The person look-up: a whole ID number or phone number -> the cases with a party of that number.

The number is hashed (cases.search.number_digest) and compared with the party links' keyed digests,
never with text; the cases found pass the one visibility rule (accounts.scoping). Of the others the
page says nothing, not even how many there are: anyone may type any number here, and a count of
cases elsewhere would tell them that a stranger's number is someone's case (unlike the intake's
repeat prompt, which tells a clerk registering that very person; cases.selectors.beyond_view). Two
queries whatever the data.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Subquery
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.scoping import InIdList, visible_cases
from cases.forms import BootstrapMixin
from cases.models import Case, CaseParty
from cases.page_extras import party_buttons
from cases.pii import can_view_full_pii, party_view
from cases.search import number_digest

MAX_ROWS = 50


class PersonLookupForm(BootstrapMixin, forms.Form):
    number = forms.CharField(
        label=_("ID number or phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("A whole ID number, mobile number, or landline number with its area code."),
    )

    def clean_number(self):
        found = number_digest(self.cleaned_data["number"])
        if found is None:
            raise ValidationError(_("Enter a whole ID number or phone number."))
        return found


def cases_with_number(user, field: str, digest: str):
    """The visible cases with a party whose ``field`` digest is ``digest``, newest first, each with
    its matching parties in ``matching``."""
    links = CaseParty.objects.filter(**{field: digest})
    having = Case.objects.filter(InIdList(F("handler_id"), Subquery(links.values("case_id"))))
    seen = (
        visible_cases(user, having)
        .select_related("region", "handling_unit")
        .prefetch_related(Prefetch("parties", queryset=links, to_attr="matching"))
        .order_by("-opened_at", "-pk")[:MAX_ROWS]
    )
    return list(seen)


@login_required
@require_http_methods(["GET", "POST"])
def person_lookup_view(request):
    # POST, so the number reaches no address, log or history (ASVS 14.2.1).
    form = PersonLookupForm(request.POST or None)
    rows = None
    if form.is_valid():
        field, digest = form.cleaned_data["number"]
        cases = cases_with_number(request.user, field, digest)
        full = can_view_full_pii(request.user)
        # Buttons other apps add per party (analysis: 列为重点人员, for the roles that may list).
        rows = [
            (
                case,
                [
                    (link, party_view(link, full)["name"], party_buttons(request.user, link))
                    for link in case.matching
                ],
            )
            for case in cases
        ]
    context = {"form": form, "rows": rows, "max_rows": MAX_ROWS}
    return render(request, "cases/person_lookup.html", context)
