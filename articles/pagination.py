"""Pages of stories that cost the same on the first page and the thousandth.

A list ordered newest first (the order of every public list) is paged by a cursor, the
(publish_at, id) of the last story shown: "older stories" asks for the stories after it, which an
index answers by seeking straight to it. There is no page count, so no COUNT(*) over the archive.
An author's or a tag's list is in the same order, read from the bylines' or the tag links' copy of
those two columns, and its cursor bound is put on that copy, where their index can seek to it. Any other order (e.g.
search relevance) falls back to page numbers, bounded so that OFFSET stays cheap.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q

from .querysets import NEWEST_FIRST, NEWEST_FIRST_BY_BYLINE, NEWEST_FIRST_BY_TAG

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR_PARAMS = ("before", "after", "page")
# Newest-first orders and the (publish_at, id) columns each is read from.
KEYSET_ORDERS = {
    order: tuple(name.removeprefix("-") for name in order)
    for order in (NEWEST_FIRST, NEWEST_FIRST_BY_BYLINE, NEWEST_FIRST_BY_TAG)
}
MAX_NUMBERED_PAGES = 50
# What a cursor may hold: a moment within datetime's range, an id a bigint column can hold.
EARLIEST = (EPOCH - datetime.min.replace(tzinfo=UTC)) // timedelta(microseconds=1)
LATEST = (datetime.max.replace(tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
MAX_ID = 2**63 - 1


class BadPage(ValueError):
    pass


@dataclass
class Page:
    object_list: list
    newer_link: str = ""
    older_link: str = ""
    # 1-based position of the first item in the whole list (for <ol start>); numbered pages only.
    start_index: int = 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self):
        return bool(self.newer_link or self.older_link)


def make_cursor(article):
    micros = (article.publish_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{article.pk}"


def whole_number(text, *, at_most, at_least=1):
    """``text`` as a whole number from ``at_least`` to ``at_most``, or None.

    Only ASCII digits, and no more of them than ``at_most`` has: ``int()`` would also take "²"
    after ``isdigit()`` said yes, refuses more than 4,300 digits with a ValueError, and a number
    a database column cannot hold would fail in the database rather than here.
    """
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(at_most)):
        return None
    number = int(text)
    return number if at_least <= number <= at_most else None


def read_cursor(text):
    micros, _, pk = text.partition(".")
    before_epoch = micros.startswith("-")
    micros = whole_number(
        micros.removeprefix("-"), at_least=0, at_most=EARLIEST if before_epoch else LATEST
    )
    pk = whole_number(pk, at_most=MAX_ID)
    if micros is None or pk is None:
        raise BadPage(f"Not a page cursor: {text!r}")
    return EPOCH + timedelta(microseconds=-micros if before_epoch else micros), pk


def link(request, **params):
    query = request.GET.copy()
    for name in CURSOR_PARAMS:
        query.pop(name, None)
    query.update({name: value for name, value in params.items() if value is not None})
    return f"?{query.urlencode()}" if query else "?"


def filter_first(queryset, condition):
    """``queryset.filter(condition)`` with the condition first in the WHERE clause. SQLite takes the
    first upper bound it meets on publish_at as the index range: the cursor's bound must come
    before the live rule's "publish_at <= now", or a deep page walks down from the newest story."""
    before = len(queryset.query.where.children)
    queryset = queryset.filter(condition)
    children = queryset.query.where.children
    children[:] = children[before:] + children[:before]
    return queryset


def _after(key, moment, pk):
    """Rows after the cursor in the ascending order of ``key``, a (publish_at, id) column pair."""
    at, ident = key
    return Q(**{f"{at}__gte": moment}) & (Q(**{f"{at}__gt": moment}) | Q(**{f"{ident}__gt": pk}))


def _before(key, moment, pk):
    at, ident = key
    return Q(**{f"{at}__lte": moment}) & (Q(**{f"{at}__lt": moment}) | Q(**{f"{ident}__lt": pk}))


def keyset_page(request, queryset, per_page):
    key = KEYSET_ORDERS[tuple(queryset.query.order_by)]
    before, after = request.GET.get("before"), request.GET.get("after")
    if after:
        moment, pk = read_cursor(after)
        newer_rows = filter_first(queryset, _after(key, moment, pk))
        rows = list(newer_rows.order_by(*key)[: per_page + 1])
        more_newer, rows = len(rows) > per_page, rows[:per_page][::-1]
        return Page(
            rows,
            newer_link=link(request, after=make_cursor(rows[0])) if more_newer else "",
            older_link=link(request, before=make_cursor(rows[-1])) if rows else "",
        )
    if before:
        moment, pk = read_cursor(before)
        queryset = filter_first(queryset, _before(key, moment, pk))
    rows = list(queryset[: per_page + 1])
    more_older, rows = len(rows) > per_page, rows[:per_page]
    return Page(
        rows,
        newer_link=link(request, after=make_cursor(rows[0])) if before and rows else "",
        older_link=link(request, before=make_cursor(rows[-1])) if more_older else "",
    )


def numbered_page(request, queryset, per_page):
    number = whole_number(request.GET.get("page", "1"), at_most=MAX_NUMBERED_PAGES)
    if number is None:
        raise BadPage("No such page.")
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    more, rows = len(rows) > per_page, rows[:per_page]
    if not rows and number > 1:
        raise BadPage("No such page.")
    return Page(
        rows,
        newer_link=link(request, page=number - 1) if number > 1 else "",
        older_link=link(request, page=number + 1) if more and number < MAX_NUMBERED_PAGES else "",
        start_index=start + 1,
    )


def page_of(request, queryset, per_page):
    # Search's SQLite fallback hands over a sliceable wrapper, not a QuerySet: it gets page numbers.
    query = getattr(queryset, "query", None)
    if query is not None and tuple(query.order_by) in KEYSET_ORDERS:
        return keyset_page(request, queryset, per_page)
    return numbered_page(request, queryset, per_page)
