"""The live story's reader page: the story page with its pinned entry, key events and the stream,
paged by keyset (``?before=<entry id>``), and each entry's permalink."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from articles.models import Article
from live import stream as live_stream
from tests.factories import make_article, make_author, make_entry, make_live_story
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def stream_of(html):
    return parse(html).one("section", id="live-stream")


def entry_ids(html):
    return [int(node.attrs["data-entry"]) for node in stream_of(html).find_all("article")]


@pytest.fixture
def story():
    with at(NOON - timedelta(hours=3)):
        return make_live_story(headline="Storm crosses the coast", dek="Updates as it happens.")


def post(story, minutes_ago, **kw):
    with at(NOON - timedelta(minutes=minutes_ago)):
        return make_entry(article=story, **kw)


def test_the_page_keeps_the_story_and_adds_the_stream_newest_first(client, story):
    old = post(story, 30, headline="Winds reach 100km/h")
    new = post(story, 5, body="Power is out in the harbour district.")
    with at(NOON):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Storm crosses the coast" in html and "Updates as it happens." in html
    assert entry_ids(html) == [new.pk, old.pk]
    stream = stream_of(html)
    assert stream.attrs["data-after"] == str(new.pk)
    assert stream.attrs["data-ended"] == "false"
    assert stream.attrs["data-poll-seconds"] == "15"
    first = next(child for child in stream.children if not isinstance(child, str))
    assert first.attrs == {"class": "live-stream__new", "aria-live": "polite"}
    assert "js/live-updates" in html
