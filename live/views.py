"""A live coverage story's reader page (drawn for ``articles.views.article_detail``, which asks
``articles.story_formats``) and each entry's permalink."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode

from articles.models import Article
from newsroom.pagecache import reads_query

from .models import Entry
from .presentation import (
    entry_title,
    feed_path,
    permalink_path,
    poll_seconds,
    updates_path,
)
from .stream import UnknownCursor, page_holding, parse_cursor, stream_for


def story_page(request, context, at):
    """The story page with the stream: pinned entry, key events, a page of entries."""
    article = context["article"]
    try:
        before = parse_cursor(request.GET.get("before"))
        stream = stream_for(article, at=at, before=before)
    except UnknownCursor as exc:
        raise Http404("No such page of updates.") from exc
    newest = stream.newest_entry
    on_page = {entry.pk for entry in stream.entries}
    context |= {
        "stream": stream,
        "before": before,
        # A key event on another page of the stream is reached through its permalink.
        "key_events": [
            (entry, f"#{entry.anchor}" if entry.pk in on_page else permalink_path(entry))
            for entry in stream.key_events
        ],
        "entry_title": entry_title,
        "feed_path": feed_path,
        "older_url": f"?{urlencode({'before': stream.older.pk})}" if stream.older else "",
        "ended": article.coverage == Article.Coverage.ENDED,
        # Older pages take no new entries at their top: only the first page polls.
        "updates_url": "" if before else updates_path(article),
        "newest_entry_id": newest.pk if newest else 0,
        "poll_seconds": poll_seconds(article),
    }
    return render(request, "live/story.html", context)


@reads_query()
def entry_permalink(request, year, month, day, slug, entry_id):
    """``…/entries/<id>/``: a 302 to the page and anchor that hold the entry now."""
    now = timezone.now()
    entry = get_object_or_404(
        Entry.objects.public(now).select_related("article"),
        pk=entry_id,
        article__slug=slug,
        article__in=Article.objects.live(now),
    )
    article = entry.article
    if not article.coverage or request.path != permalink_path(entry):
        raise Http404("No such entry.")
    cursor = page_holding(entry, at=now)
    query = f"?{urlencode({'before': cursor})}" if cursor else ""
    return redirect(f"{article.get_absolute_url()}{query}#{entry.anchor}")
