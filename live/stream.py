"""What a live story's page shows of its entries, in one query whatever their number.

The page shows the pinned entry, the newest key events, one page of the stream (newest first,
older pages by the keyset cursor ``?before=<entry id>``) and, for search engines, the newest
entries. Each is a LIMIT subquery walking the stream index (``entry_stream_idx``) of the story's
public entries; the page asks for the rows any of them names (by primary key), with their authors, and sorts
them out here. So a story of 10,000 entries costs what one of 10 does.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Expression, F, Q, Subquery

from .models import Entry

PAGE_SIZE = 25
KEY_EVENTS = 20
NEWEST = 10
NEWEST_FIRST = ("-publish_at", "-id")
# Entry ids are bigints: a larger number names no entry (and would overflow the column).
LARGEST_ID = 2**63 - 1


class UnknownCursor(Exception):
    """``?before=`` names no public entry of this story."""


def entry_id(value):
    """The entry id a query string names (``?before=``, ``?after=``): ASCII digits that fit the
    id column; None for anything else."""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(LARGEST_ID)):
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None


def parse_cursor(value):
    """The entry id of a ``?before=`` value, or None for none; a value that cannot be one is
    ``UnknownCursor``."""
    if value is None:
        return None
    number = entry_id(value)
    if number is None:
        raise UnknownCursor(value)
    return number


@dataclass
class Stream:
    pinned: Entry | None = None
    key_events: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    # The last entry of the page when older ones follow: the Older link's cursor.
    older: Entry | None = None
    # The newest public entries (search engines' liveBlogUpdate), on every page.
    newest: list = field(default_factory=list)

    @property
    def newest_entry(self):
        return self.newest[0] if self.newest else None


class AmongIds(Expression):
    """``pk IN (subquery)``, as PostgreSQL can look up in the primary key when several are OR'd:
    ``pk = ANY(ARRAY(subquery))`` (each subquery runs once, and the rows come from the primary
    key's index; ``IN`` under OR would filter a scan of the table instead)."""

    output_field = BooleanField()

    def __init__(self, queryset):
        super().__init__()
        self.pk, self.subquery = F("pk"), Subquery(queryset)

    def get_source_expressions(self):
        return [self.pk, self.subquery]

    def set_source_expressions(self, expressions):
        self.pk, self.subquery = expressions

    def as_sql(self, compiler, connection):
        pk, pk_params = compiler.compile(self.pk)
        subquery, params = compiler.compile(self.subquery)
        return f"{pk} IN {subquery}", (*pk_params, *params)

    def as_postgresql(self, compiler, connection):
        pk, pk_params = compiler.compile(self.pk)
        subquery, params = compiler.compile(self.subquery)
        return f"{pk} = ANY(ARRAY{subquery})", (*pk_params, *params)


def _first(queryset, count):
    return AmongIds(queryset.order_by(*NEWEST_FIRST).values("pk")[:count])


def _older_than(entries, before):
    """The entries after the entry ``before`` (an id) in the stream's order."""
    moment = entries.filter(pk=before).values("publish_at")[:1]
    # The first condition bounds the index walk; the second breaks ties of one second.
    return entries.filter(publish_at__lte=moment).filter(
        Q(publish_at__lt=moment) | Q(publish_at=moment, pk__lt=before)
    )


def newer_than(entries, moment, pk):
    """The entries before the one at (``moment``, ``pk``) in the stream's order."""
    # The first condition bounds the index walk; the second breaks ties of one second.
    return entries.filter(publish_at__gte=moment).filter(
        Q(publish_at__gt=moment) | Q(publish_at=moment, pk__gt=pk)
    )


def newest_first(entries):
    return sorted(entries, key=lambda entry: (entry.publish_at, entry.pk), reverse=True)


def stream_for(article, *, at, before=None, page_size=None):
    """The stream of ``article`` readers see at ``at``, from the entry after ``before`` (an id).
    Raises ``UnknownCursor`` when ``before`` is no public entry of the story."""
    page_size = page_size or PAGE_SIZE
    public = Entry.objects.filter(article=article).public(at)
    wanted = (
        Q(_first(public.filter(is_pinned=True), 1))
        | Q(_first(public.filter(is_key_event=True), KEY_EVENTS))
        | Q(_first(public, NEWEST))
    )
    page = public
    if before is not None:
        # The cursor's own row, to tell a public entry of this story from any other number.
        wanted |= AmongIds(public.filter(pk=before).values("pk"))
        page = _older_than(public, before)
    wanted |= _first(page, page_size + 1)
    # No order: the rows are few, and sorted here.
    rows = newest_first(Entry.objects.filter(wanted).stream().order_by())
    for entry in rows:
        entry.article = article  # their addresses need the story: no query for each
    if before is not None and not any(entry.pk == before for entry in rows):
        raise UnknownCursor(before)
    stream = Stream(
        pinned=next((entry for entry in rows if entry.is_pinned), None),
        key_events=[entry for entry in rows if entry.is_key_event][:KEY_EVENTS],
        newest=rows[:NEWEST],
    )
    if before is not None:
        start = next(n for n, entry in enumerate(rows) if entry.pk == before) + 1
        rows = rows[start:]
    # Past the cursor, the rows the other shares brought are older than the page's last
    # one, or among the page: the page is the first page_size + 1 of them.
    page_rows = rows[: page_size + 1]
    stream.entries = page_rows[:page_size]
    if len(page_rows) > page_size:
        stream.older = stream.entries[-1]
    return stream


def page_holding(entry, *, at, page_size=None):
    """The cursor of the stream page that holds ``entry`` at ``at``, as the Older links walk the
    pages (None for the first page). Two small queries: the entry's place, and the entry
    ending the page before its page."""
    page_size = page_size or PAGE_SIZE
    public = Entry.objects.filter(article_id=entry.article_id).public(at)
    place = newer_than(public, entry.publish_at, entry.pk).count()
    if place < page_size:
        return None
    index = (place // page_size) * page_size - 1
    return public.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[index]
