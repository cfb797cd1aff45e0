"""Querysets a page builds the same way on every request, built once per process and language.

A case page's queryset (seven joined rows, six prefetches, annotations with subqueries) took
~2 ms of Python to build on every request, most of it Django resolving each annotation against the
query (docs/performance.md, "Case detail pages"). What it builds depends on nothing of the request
but the language (a label translated into a ``Value``), so it is built once per language and each
caller gets a fresh copy to filter and evaluate: the built one is never evaluated, and no state of
one request's copy (results, routing hints naming its instances) reaches another's.
"""

import functools
from collections.abc import Callable

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language


def _copy(queryset: QuerySet) -> QuerySet:
    fresh = queryset.all()
    fresh._prefetch_related_lookups = tuple(
        Prefetch(lookup.prefetch_through, queryset=_copy(lookup.queryset), to_attr=lookup.to_attr)
        if isinstance(lookup, Prefetch) and lookup.queryset is not None
        else lookup
        for lookup in queryset._prefetch_related_lookups
    )
    return fresh


def built_once(build: Callable[[], QuerySet]) -> Callable[[], QuerySet]:
    """``build()``'s queryset, built on the first call in each language, then copied."""
    built: dict[str | None, QuerySet] = {}

    @functools.wraps(build)
    def copy() -> QuerySet:
        language = get_language()
        queryset = built.get(language)
        if queryset is None:
            queryset = built[language] = build()
        return _copy(queryset)

    return copy
