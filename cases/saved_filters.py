"""Saved list filters: a user names the current filter of a case list ("我的逾期", "本镇红色风险"),
renames or deletes it, and may show it on the home page with its count.

A saved filter is a query string, nothing more: opening it opens the list with that query, and its
count on the home page is that list's selector run again for the user, so both pass the one
visibility rule (accounts.scoping) as the list itself does, and a filter never shows what its owner
may no longer see. Counts stop at the list's cap (cases.paging.CAP): "more than 1,000", never an
exact COUNT over a county. Every filter shown on the home page is counted in one query.
"""

from django.contrib.auth import get_user_model
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Subquery
from django.http import QueryDict
from django.utils.translation import gettext as _

from cases.lists import LISTS, filters_of
from cases.models import SavedFilter
from cases.paging import CAP

MAX_PER_USER = 30
NAME_LENGTH = SavedFilter._meta.get_field("name").max_length
QUERY_LENGTH = SavedFilter._meta.get_field("query").max_length
# Parameters of a list's address that are not part of its filter.
NOT_FILTERS = ("page", "csrfmiddlewaretoken")


class SavedFilterError(ValueError):
    """A refusal with a message for the user."""


def clean_query(list_name: str, query: str) -> str:
    """The filter part of a list's query string (no page, no empty fields), checked by the list's
    own filter form; raises SavedFilterError for an unknown list or an invalid filter."""
    case_list = LISTS.get(list_name)
    if case_list is None:
        raise SavedFilterError(_("There is no such list."))
    params = QueryDict(query, mutable=True)
    for key in NOT_FILTERS:
        params.pop(key, None)
    for key in list(params):
        values = [v for v in params.getlist(key) if v.strip()]
        if values:
            params.setlist(key, values)
        else:
            del params[key]
    encoded = params.urlencode()
    if len(encoded) > QUERY_LENGTH or filters_of(case_list, encoded) is None:
        raise SavedFilterError(_("The filter has errors; correct it before saving."))
    return encoded


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SavedFilterError(_("Give the filter a name."))
    if "\x00" in name:
        # PostgreSQL text cannot hold NUL: refused here, as every form's CharField does, not a 500.
        raise SavedFilterError(str(ProhibitNullCharactersValidator.message))
    if len(name) > NAME_LENGTH:
        raise SavedFilterError(_("A filter's name has at most %(n)d characters.") % {"n": NAME_LENGTH})
    return name


def _unique(save):
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        raise SavedFilterError(_("You already have a filter of that name.")) from None


def save_filter(user, list_name: str, query: str, name: str, *, on_home: bool = False) -> SavedFilter:
    name, query = clean_name(name), clean_query(list_name, query)
    if SavedFilter.objects.filter(user=user).count() >= MAX_PER_USER:
        raise SavedFilterError(_("You have %(n)d saved filters; delete one first.") % {"n": MAX_PER_USER})
    fields = {"user": user, "list_name": list_name, "query": query, "name": name, "on_home": on_home}
    return _unique(lambda: SavedFilter.objects.create(**fields))


def own_filter(user, pk) -> SavedFilter:
    """The user's own filter (SavedFilter.DoesNotExist for anyone else's: the view answers 404)."""
    return SavedFilter.objects.get(user=user, pk=pk)


def rename_filter(user, pk, name: str) -> SavedFilter:
    saved = own_filter(user, pk)
    saved.name = clean_name(name)
    return _unique(lambda: saved.save(update_fields=["name"]) or saved)


def show_on_home(user, pk, on_home: bool) -> SavedFilter:
    saved = own_filter(user, pk)
    saved.on_home = on_home
    saved.save(update_fields=["on_home"])
    return saved


def delete_filter(user, pk) -> None:
    own_filter(user, pk).delete()


def url_of(saved: SavedFilter) -> str:
    case_list = LISTS.get(saved.list_name)
    if case_list is None:
        return ""
    return f"{case_list.url}?{saved.query}" if saved.query else case_list.url


class _CappedCount(Subquery):
    """COUNT(*) of at most CAP + 1 rows of a subquery, as one scalar column of the outer row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def counted(user, filters) -> list[dict]:
    """Each filter with its list, address and count for ``user`` (``count`` None when its query no
    longer validates, ``more`` when beyond the cap): one query for all of them, none for none."""
    rows, counts = [], {}
    for position, saved in enumerate(filters):
        case_list = LISTS.get(saved.list_name)
        cleaned = filters_of(case_list, saved.query) if case_list else None
        row = {"filter": saved, "list": case_list, "url": url_of(saved), "count": None, "more": False}
        if cleaned is not None:
            cases = case_list.selector(user, cleaned).prefetch_related(None).order_by().values("pk")
            counts[f"_n{position}"] = _CappedCount(cases[: CAP + 1])
        rows.append(row)
    if counts:
        values = get_user_model().objects.filter(pk=user.pk).annotate(**counts).values(*counts).first() or {}
        for position, row in enumerate(rows):
            n = values.get(f"_n{position}")
            if n is not None:
                row["count"], row["more"] = min(n, CAP), n > CAP
    return rows


def home_filters(user) -> list[dict]:
    """The filters the user shows on the home page, counted: two queries (one when none)."""
    return counted(user, SavedFilter.objects.filter(user=user, on_home=True).order_by("name", "pk"))
