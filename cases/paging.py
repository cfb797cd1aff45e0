"""Pagination that never counts more rows than a page list can show.

An exact COUNT over a county's or a province's cases reads every row in scope (tens of thousands to
millions) on every page view. ``CappedPaginator`` counts at most ``cap + 1`` rows: below the cap the
count is exact; above it the page says "more than 1,000" and offers the first ``cap / per_page``
pages, which is as far as anyone pages before narrowing the filter.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        # A sliced queryset counts as SELECT COUNT(*) FROM (SELECT … LIMIT cap + 1): PostgreSQL stops
        # reading after cap + 1 rows.
        # Without the list's ORDER BY, so that reading stops at any cap + 1 rows, not the first in order.
        found = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)

    @property
    def count_label(self) -> str:
        count = self.count
        if self.capped:
            return _("more than %(count)s") % {"count": f"{count:,}"}
        return str(count)
