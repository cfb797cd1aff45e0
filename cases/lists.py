"""The building blocks every case list shares: the filter form's common fields, the filters and order
they apply, and the page (paging, party names masked by role, the query string kept for the pages and
the export). A case type adds only its own filter fields, its columns and its row cells
(templates/cases/case_list.html is the page; each case type's list template fills three blocks)."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RegionLevel
from accounts.scoping import visible_cases
from cases.bounds import BoundedDateField
from cases.forms import BootstrapMixin, region_picker
from cases.paging import CappedPaginator
from cases.pii import can_view_full_pii, party_view
from cases.search import TOKEN_PATTERN, digest_token, party_with_digest, search_condition
from cases.selectors import BY_DUE_DATE, NEWEST, case_parties, list_order

PAGE_SIZE = 25


class CaseFilterForm(BootstrapMixin, forms.Form):
    """Search, scope, status, place, dates, overdue and order: every case list's filters. A subclass
    sets ``status_choices`` and adds its own fields; ``EXACT`` names those filtered by equality."""

    EXACT: tuple[str, ...] = ()
    status_choices: list = []

    q = forms.CharField(
        label=_("Search"),
        required=False,
        # The posted search goes into the list's address (list_page): bounded, so it always fits.
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, ID number, phone, or 3+ characters of summary")}
        ),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        required=False,
        choices=[("all", _("my jurisdiction")), ("unit", _("my unit")), ("mine", _("my cases"))],
    )
    # A party's ID number or phone as its keyed hash (cases.search.digest_token): what the search box
    # becomes when a whole number was typed into it (list_page), never the number itself.
    party = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), required=False)
    region = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=12,
        # Without the picker's script: the code, or its start (3306811 = a town and its villages).
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("Region code")}),
    )
    date_from = BoundedDateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label=_("Registered to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[("due", _("due date")), ("-opened", _("newest first"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "—"), *self.status_choices]
        # The type's own fields come after the search box, before the common ones.
        order = ["q", *self.EXACT, *[name for name in self.fields if name != "q" and name not in self.EXACT]]
        self.order_fields(order)
        region_picker(self.fields["region"], level=RegionLevel.COUNTY, stores="prefix")

    def clean_party(self):
        token = self.cleaned_data["party"]
        if token and not TOKEN_PATTERN.fullmatch(token):
            raise ValidationError(_("This search has expired; search again."))
        return token

    def clean_region(self):
        code = self.cleaned_data["region"]
        if code and not (code.isascii() and code.isdigit()):
            raise ValidationError(_("A region code has digits only."))
        return code


def filter_cases(user, queryset, filters: dict, exact: tuple[str, ...] = ()):
    """The cases of ``queryset`` the user may see (accounts.scoping), filtered and in list order."""
    qs = visible_cases(user, queryset)
    scope = filters.get("scope") or "all"
    if scope == "mine":
        qs = qs.filter(handler_id=user.pk)
    elif scope == "unit":
        qs = qs.filter(handling_unit_id=user.unit_id)
    if filters.get("q"):
        qs = qs.filter(search_condition(filters["q"]))
    if filters.get("party"):
        qs = qs.filter(party_with_digest(filters["party"]))
    for field in ("status", *exact):
        if filters.get(field) not in (None, ""):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("region"):
        qs = qs.filter(region__code__startswith=filters["region"])
    if filters.get("date_from"):
        qs = qs.filter(opened_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(opened_at__date__lte=filters["date_to"])
    if filters.get("overdue"):
        qs = qs.filter(closed_at__isnull=True, next_due_at__lt=timezone.now())
    qs = qs.order_by(*list_order(user, NEWEST if filters.get("sort") == "-opened" else BY_DUE_DATE))
    return qs.prefetch_related(case_parties())


def list_page(request, *, form_class, selector, template: str, **context):
    """A case list page: the filter form from the query string, one page of cases, each with its
    parties' names as the user's role may see them, and the query for the pager and the export.

    The filter form is sent by POST and answered with a redirect to the list's address with the
    filters as its query (bookmarkable, paged, exported, saved as before), where a whole ID number
    or phone typed into the search box is replaced by its keyed hash (cases.search): the number
    never reaches an address, a server log or the browser history (ASVS 14.2.1)."""
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            return redirect(f"{request.path}?{filter_query(request.POST, fields=form.fields)}")
        # Refused (a search too long, a region code with letters …): the errors, nothing filtered.
        filters = {}
    else:
        form = form_class(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
    page = CappedPaginator(selector(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    full = can_view_full_pii(request.user)
    rows = [(case, [party_view(link, full)["name"] for link in case.parties.all()]) for case in page]
    query = request.GET.copy()
    query.pop("page", None)
    by_number = (filters.get("party") or "").partition(":")[0]  # "id" or "phone": a whole number searched
    # Filters in use (the default scope and order are none): the folded filter box opens for them.
    active = sum(1 for k, v in filters.items() if v not in (None, "", False) and k not in ("scope", "sort"))
    active += bool(filters.get("scope") not in (None, "", "all")) + (filters.get("sort") == "-opened")
    context.update(
        form=form, page=page, rows=rows, query=query.urlencode(), by_number=by_number, active_filters=active
    )
    return render(request, template, context)


def filter_query(posted, fields=None) -> str:
    """The query string of a posted filter form: its non-empty fields (only the form's own, when
    ``fields`` names them; values stripped as the form cleans them), the search box's whole ID
    number or phone as ``party=<kind>:<digest>``. A new search replaces the previous one."""
    data = QueryDict(mutable=True)
    for key in posted:
        if key in ("csrfmiddlewaretoken", "page") or (fields is not None and key not in fields):
            continue
        values = [v.strip() for v in posted.getlist(key) if v.strip()]
        if values:
            data.setlist(key, values)
    text = data.get("q", "").strip()
    if text:
        data.pop("party", None)
        if token := digest_token(text):
            del data["q"]
            data["party"] = token
    return data.urlencode()


# The case lists a saved filter may belong to: name (the URL namespace of the list) -> how to read
# its query again. Each case type registers its list in ``ready()`` (cases.saved_filters).
@dataclass(frozen=True)
class CaseList:
    name: str
    label: str
    form_class: type
    selector: Callable

    @property
    def url(self) -> str:
        return reverse(f"{self.name}:list")


LISTS: dict[str, CaseList] = {}


def register_list(name: str, *, label, form_class, selector) -> None:
    LISTS[name] = CaseList(name, label, form_class, selector)


def filters_of(case_list: CaseList, query: str) -> dict | None:
    """The cleaned filters of a stored query string, or None when it no longer validates."""
    form = case_list.form_class(QueryDict(query))
    return form.cleaned_data if form.is_valid() else None
