"""The live page, its JSON-LD and its entries feed with the page cache on: a scheduled entry is
absent a second before its time and present at it, with no write; a posted, edited or removed
entry shows at once on the next request."""

import json
import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
import time_machine

from live.models import Entry
from live.services import remove_entry, save_entry
from tests.cache_checks import hit
from tests.factories import make_entry, make_live_story

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def at(moment):
    return time_machine.travel(moment, tick=False)


def json_ld(content):
    return json.dumps([json.loads(item) for item in LD.findall(content.decode())])


def seen(client, story):
    """What each surface shows now (the page, its JSON-LD, the feed), and whether it came from
    the cache."""
    page = client.get(story.get_absolute_url())
    feed = client.get(f"{story.get_absolute_url()}entries/feed/rss/")
    assert page.status_code == feed.status_code == 200
    # The JSON-LD alone, so that a change seen on the page must be seen there too.
    html = LD.sub("", page.content.decode())
    return {
        "page": (html, hit(page)),
        "json-ld": (json_ld(page.content), hit(page)),
        "feed": (str(feedparser.parse(feed.content).entries), hit(feed)),
    }


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    with at(NOON - timedelta(hours=2)), django_capture_on_commit_callbacks(execute=True):
        story = make_live_story(headline="Count night")
        make_entry(article=story, body="Counting has begun.")
    return story


def test_a_scheduled_entry_appears_at_its_second_on_every_surface(
    client, story, django_capture_on_commit_callbacks
):
    with at(NOON - timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        make_entry(article=story, body="First ward declares.", publish_at=NOON)
    with at(NOON - 2 * SECOND):
        for name, (text, _) in seen(client, story).items():
            assert "First ward declares" not in text, name
    with at(NOON - SECOND):
        for name, (text, cached) in seen(client, story).items():
            assert cached and "First ward declares" not in text, name
    with at(NOON):
        for name, (text, cached) in seen(client, story).items():
            assert not cached and "First ward declares" in text, name
        assert all(cached for _, cached in seen(client, story).values())


@pytest.mark.parametrize("change", ["post", "edit", "remove"])
def test_a_posted_edited_or_removed_entry_shows_at_once(
    client, story, django_capture_on_commit_callbacks, change
):
    entry = Entry.objects.get(article=story)
    with at(NOON):
        seen(client, story)
        assert all(cached for _, cached in seen(client, story).values())
        with django_capture_on_commit_callbacks(execute=True):
            if change == "post":
                make_entry(article=story, body="Turnout is high.")
            elif change == "edit":
                entry.body = "Turnout is high."
                save_entry(entry=entry, by=None, base_version=entry.version)
            else:
                remove_entry(entry=entry, by=None)
        for name, (text, cached) in seen(client, story).items():
            assert not cached, name
            if change == "remove":
                assert "Counting has begun" not in text, name
            else:
                assert "Turnout is high" in text, name
