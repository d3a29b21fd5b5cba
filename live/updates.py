"""The updates fragment: the public entries of a live story newer than the one a reader's page
shows, as HTML drawn with the page's own ``entry`` macro, for the page's script to insert.

Its address names the newest entry the reader has (``?after=<id>``), so every reader with the same
page asks for the same fragment: the page cache keeps it like any page (0 queries on a hit, an
ETag, 304), and it changes exactly when an entry is posted, edited, removed or comes out on
schedule. The root element tells the script what it needs: how many entries came, the newest id
to ask after next, how long to wait, and whether the coverage has ended (stop asking).
"""

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article
from newsroom.pagecache import reads_query

from .models import Entry
from .presentation import poll_seconds, updates_path
from .stream import entry_id, newer_than

# Entries one fragment carries at most; past that the script reloads the page instead.
MOST = 50


def parse_after(value):
    """The id in ``?after=``: a whole number of ASCII digits (0 or absent: from the start)."""
    if value is None or value == "":
        return 0
    number = entry_id(value)
    if number is None:
        raise Http404("No such entry.")
    return number


def newer_entries(article, after, at):
    """Up to ``MOST`` + 1 public entries newer than entry ``after`` in the stream's order
    (publish_at, id), newest first. An ``after`` that is not one of the story's public entries
    (removed, scheduled, another story's) asks from the start: the script skips what it has."""
    public = Entry.objects.filter(article=article).public(at)
    if after:
        known = next(iter(public.filter(pk=after).order_by().values_list("publish_at")), None)
        if known is not None:
            (moment,) = known
            public = newer_than(public, moment, after)
    # The Markdown source and the plain text are for the desk and search, not for the entry's HTML.
    return list(public.stream().defer("body", "body_text")[: MOST + 1])


@reads_query("after")
def updates(request, year, month, day, slug):
    now = timezone.now()
    article = (
        Article.objects.live(now)
        .exclude(coverage=Article.Coverage.NONE)
        .filter(slug=slug)
        .only("slug", "coverage", "poll_seconds", "first_published_at", "publish_at", "created_at")
        .first()
    )
    if article is None or request.path != updates_path(article):
        raise Http404("No live coverage here.")
    after = parse_after(request.GET.get("after"))
    entries = newer_entries(article, after, now)
    more = len(entries) > MOST
    entries = entries[:MOST]
    context = {
        "entries": entries,
        "count": len(entries),
        "more": more,
        "newest": entries[0].pk if entries else after,
        "poll_seconds": poll_seconds(article),
        "ended": article.coverage == Article.Coverage.ENDED,
    }
    response = HttpResponse(render_to_string("live/updates.html", context))
    # A piece of a page, not a page: search engines index the story's own address.
    response["X-Robots-Tag"] = "noindex"
    return response
