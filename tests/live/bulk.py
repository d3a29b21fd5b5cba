"""Long live stories for the query-count and EXPLAIN tests: thousands of entries written with
one bulk_create (no Markdown rendering per row, no page-cache signal per row)."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from live.models import Entry
from live.services import refresh_entry_times
from newsroom import pagecache
from tests.factories import make_live_story

KEY_EVERY = 50


def long_story(entries, **kw):
    """A live story with ``entries`` public entries a minute apart, one in ``KEY_EVERY`` a key
    event, the oldest pinned, and one scheduled an hour ahead."""
    now = timezone.now()
    story = make_live_story(publish_at=now - timedelta(minutes=entries + 10), **kw)
    rows = [
        Entry(
            article=story,
            body=f"Update {n}.",
            body_html=f"<p>Update {n}.</p>",
            body_text=f"Update {n}.",
            headline=f"Key moment {n}" if n % KEY_EVERY == 0 else "",
            is_key_event=n % KEY_EVERY == 0,
            is_pinned=n == 0,
            publish_at=now - timedelta(minutes=entries - n),
        )
        for n in range(entries)
    ]
    rows.append(Entry(article=story, body="Later.", publish_at=now + timedelta(hours=1)))
    Entry.objects.bulk_create(rows, batch_size=2_000)
    refresh_entry_times(story)
    pagecache.new_generation()
    return story


def delete_stories(*stories):
    """Their entries in one statement (a cascade would send a signal for each), then them."""
    Entry.objects.filter(article__in=stories)._raw_delete(connection.alias)
    for story in stories:
        story.delete()
