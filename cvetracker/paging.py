"""Pages of long lists without counting every row.

An exact total of a long list is a COUNT over every matching row — 2,000,000 status updates or
100,000 assignments in one status at L — for a figure nobody pages through. The pages and the
API count up to CAP rows; beyond it they say "more than 10,000" (the API's `count` is null) and
leave out the link to the last page. A page past the cap is still served: asking for one counts
every row, so only those who go that far pay for it.
"""

from functools import cached_property

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet

CAP = 10_000


class CappedCountPaginator(Paginator):
    """A Paginator whose `count` is exact up to CAP rows; `capped` says the list is longer (then
    `count` is CAP + 1, a lower bound, until a page at or past the cap is asked for)."""

    cap = CAP
    capped = False

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return super().count
        # SELECT COUNT(*) FROM (… LIMIT cap + 1), unordered: which rows are counted does not matter.
        counted = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return counted

    def validate_number(self, number):
        try:
            valid = super().validate_number(number)
        except EmptyPage:
            if not self.capped:
                raise
            valid = None
        if self.capped and (valid is None or valid >= self.num_pages):
            # Where the known rows end: count them all, so that this page, its links and the total are true.
            self.__dict__["count"] = self.object_list.count()
            self.__dict__.pop("num_pages", None)
            self.capped = False
            return super().validate_number(number)
        return valid
