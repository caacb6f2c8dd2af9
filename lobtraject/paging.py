"""A paginator whose count costs as much as the page the user is on, not the data.

Django's `Paginator.count` is an exact `COUNT(*)` over every row the user may
see, only to print "Pagina 1 van 240". A team coach or researcher of 6,000
trajectories pays for all of them on every list page. `Paginator` here counts
a queryset at most up to `WINDOW` pages from the current one (the rows of the
count stop at a LIMIT, like the rows of the page): when there are more, it is
`capped`, the page says "Pagina 1 van meer dan 10", Next is offered, and the
window moves along as the user pages on. Under the window it is exact and
renders as before ("Pagina 2 van 3"). Lists (already in memory) keep their
plain count.
"""

from __future__ import annotations

from django.core import paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Pages counted from the current one (the current page included). A module
# constant so a test can make it small instead of seeding thousands of rows.
WINDOW = 10


def _page_number(number) -> int:
    """The number `get_page` will try first; what Django would refuse becomes 1."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def count_at_most(queryset: QuerySet, limit: int) -> int:
    """How many rows `queryset` has, counting no further than `limit`.

    Which rows are counted does not matter, only how many: no ORDER BY, so
    PostgreSQL stops at the LIMIT instead of sorting every row; only the primary
    key, so annotations (correlated subqueries, counts) are not computed for the
    counted rows (a filter on an annotation still applies)."""
    queryset = queryset.order_by()
    if not (queryset.query.combinator or queryset.query.values_select):
        queryset = queryset.values("pk")  # a UNION or a values() query is counted as it is
    return queryset[:limit].count()


class Page(paginator.Page):
    def has_next(self):
        return super().has_next() or (
            self.paginator.capped and self.number == self.paginator.num_pages
        )

    def next_page_number(self):
        if self.paginator.capped and self.number == self.paginator.num_pages:
            return self.number + 1
        return super().next_page_number()


class Paginator(paginator.Paginator):
    """`django.core.paginator.Paginator` with a count bounded by the page asked for.

    `capped` is True when there are more rows than were counted; `count` and
    `num_pages` are then what is known ("more than `num_pages` pages").
    """

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)
        self.capped = False
        self._target = 1

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return paginator.Paginator.count.func(self)
        # A page number far past the end counts every row (then exactly, as
        # Django does); the bound keeps the LIMIT inside a bigint.
        known = min((self._target - 1 + max(WINDOW, 1)) * self.per_page, 2**62)
        counted = count_at_most(self.object_list, known + 1)
        self.capped = counted > known
        return known if self.capped else counted

    def get_page(self, number):
        """As Django's: a page number that is not a number gives the first page,
        one past the end the last page (counted exactly on the way there)."""
        if "count" not in self.__dict__:
            self._target = _page_number(number)
        return super().get_page(number)

    def page(self, number):
        if "count" not in self.__dict__:
            self._target = _page_number(number)
        return super().page(number)

    def _get_page(self, *args, **kwargs):
        return Page(*args, **kwargs)
