"""An entry's addresses and how it reads outside its page (a title when it has no headline)."""

from django.conf import settings
from django.utils import timezone

from content.markup import excerpt
from newsroom.addresses import absolute_url
from newsroom.reversing import reverse

TITLE_LENGTH = 110


def story_kwargs(article):
    """The date and slug of the story's address, which every live address starts with."""
    day = timezone.localtime(article.url_date)
    return {
        "year": day.year,
        "month": f"{day.month:02d}",
        "day": f"{day.day:02d}",
        "slug": article.slug,
    }


def permalink_path(entry):
    return reverse("live:entry", kwargs={**story_kwargs(entry.article), "entry_id": entry.pk})


def entry_url(entry):
    return absolute_url(permalink_path(entry))


def entry_title(entry):
    """The entry's headline, or the start of its text."""
    return entry.headline or excerpt(entry.body_text, TITLE_LENGTH)


def feed_path(article, kind):
    """The story's entries feed: ``kind`` "rss" or "atom"."""
    return reverse(f"live:entries_{kind}", kwargs=story_kwargs(article))


def updates_path(article):
    """The updates fragment the story's page polls."""
    return reverse("live:updates", kwargs=story_kwargs(article))


def poll_seconds(article):
    """How long a reader's page waits between two asks: the story's override, else the site's."""
    return article.poll_seconds or settings.NEWSROOM_LIVE_POLL_SECONDS
