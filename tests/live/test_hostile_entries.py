"""The whole hostile corpus through live entries (body, headline, caption, credit, alt text,
correction note) on every surface that shows them: each page of the stream, the permalinks'
targets, the JSON-LD and the entries feed, RSS and Atom. Nothing active reaches a reader."""

import json
import re

import pytest

from live import feeds as live_feeds
from live import stream as live_stream
from tests.live.hostile_entries import ENTRY_LINE_FIELDS, build_hostile_live_story
from tests.security.hostile import (
    PAYLOADS,
    page_violations,
    shown_as_text,
    stored_html_violations,
    xml_violations,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def hostile(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    # Every entry in the feed and in the JSON-LD, not only the newest.
    monkeypatch.setattr(live_feeds, "FEED_LENGTH", len(PAYLOADS))
    monkeypatch.setattr(live_stream, "NEWEST", len(PAYLOADS))
    return build_hostile_live_story()


def stream_pages(client, story):
    """Every page of the stream, as the Older links walk it."""
    url, pages = story.get_absolute_url(), []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        pages.append(html)
        older = re.search(r'<a href="(\?before=\d+)" rel="next">', html)
        url = story.get_absolute_url() + older[1] if older else None
    return pages


def test_the_stored_entries_keep_the_rules(hostile):
    _, entries = hostile
    assert {entry.pk: stored_html_violations(entry.body_html) for entry in entries} == {
        entry.pk: [] for entry in entries
    }


def test_every_page_of_the_stream_sends_no_active_content(client, hostile):
    story, entries = hostile
    pages = stream_pages(client, story)
    assert len(pages) > 2
    assert [page_violations(page) for page in pages] == [[] for _ in pages]
    # Every entry was on a page, its one-line fields shown as text.
    html = "".join(pages)
    missing = {}
    for entry in entries:
        assert f'id="{entry.anchor}"' in html
        for name, _ in ENTRY_LINE_FIELDS:
            if name != "image_alt" and shown_as_text(getattr(entry, name)) not in html:
                missing.setdefault(entry.pk, []).append(name)
    assert missing == {}


def test_the_json_ld_is_whole_and_carries_every_entry_as_text(client, hostile):
    story, entries = hostile
    scripts = LD.findall(client.get(story.get_absolute_url()).content.decode())
    data = {item["@type"]: item for item in map(json.loads, scripts)}
    updates = data["LiveBlogPosting"]["liveBlogUpdate"]
    assert len(updates) == len(entries)
    by_url = {update["url"]: update for update in updates}
    for entry in entries:
        update = next(u for url, u in by_url.items() if url.endswith(f"#{entry.anchor}"))
        assert update["articleBody"] == entry.body_text
        assert update["headline"] == entry.headline


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_entries_feed_carries_no_active_content(client, hostile, kind):
    story, entries = hostile
    response = client.get(f"{story.get_absolute_url()}entries/feed/{kind}/")
    assert response.status_code == 200
    assert xml_violations(response.content) == []
    assert response.content.count(b"/entries/") >= len(entries)
