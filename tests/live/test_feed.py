"""Each live story's entries feed, RSS and Atom: its public entries, newest first, linked from
the page's head; a story that is not live coverage, or not public, has none."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
import time_machine

from articles.models import Article
from tests.factories import make_article, make_author, make_entry, make_live_story
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def feed_urls(story):
    base = f"{story.get_absolute_url()}entries/feed/"
    return {"rss": f"{base}rss/", "atom": f"{base}atom/"}


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.fixture
def story():
    with at(NOON - timedelta(hours=3)):
        return make_live_story(headline="Storm crosses the coast")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_feed_lists_public_entries_newest_first_with_permalinks(client, story, kind):
    author = make_author(name="Ana Ferreira")
    with at(NOON - timedelta(minutes=20)):
        first = make_entry(article=story, headline="Winds rise", body="Gusts of *90* km/h.")
    with at(NOON - timedelta(minutes=10)):
        second = make_entry(article=story, body="Trains stop at the coast.", author=author)
    with at(NOON - timedelta(hours=1)):
        make_entry(article=story, body="Embargoed.", publish_at=NOON + timedelta(hours=1))
    with at(NOON):
        parsed = read(client, feed_urls(story)[kind])
    assert "Storm crosses the coast" in parsed.feed.title
    titles = [item.title for item in parsed.entries]
    assert titles == ["Trains stop at the coast.", "Winds rise"]
    links = [item.link for item in parsed.entries]
    assert links == [
        f"https://news.example{story.get_absolute_url()}entries/{entry.pk}/"
        for entry in (second, first)
    ]
    assert parsed.entries[0].author == "Ana Ferreira"
    assert "<em>90</em>" in parsed.entries[1].content[0].value
    assert "Embargoed" not in str(parsed)


def test_the_page_links_its_feeds_from_the_head(client, story):
    with at(NOON):
        head = parse(client.get(story.get_absolute_url()).content).one("head")
    alternates = {
        link.attrs["type"]: link.attrs["href"]
        for link in head.find_all("link", rel="alternate")
        if "live updates" in link.attrs.get("title", "")
    }
    urls = feed_urls(story)
    assert alternates == {"application/rss+xml": urls["rss"], "application/atom+xml": urls["atom"]}


def test_no_feed_for_a_plain_a_draft_or_a_misdated_story(client, story):
    plain = make_article(headline="Council meets")
    draft = make_live_story(headline="Not yet", status=Article.Status.DRAFT)
    misdated = feed_urls(story)["rss"].replace(f"/{story.publish_at.year}/", "/1999/")
    for url in (feed_urls(plain)["rss"], feed_urls(draft)["atom"], misdated):
        assert client.get(url).status_code == 404, url


def test_an_ended_storys_feed_stays(client, story):
    from live.services import end_coverage

    with at(NOON):
        make_entry(article=story, body="Last word.")
        end_coverage(article=story, by=None)
        assert read(client, feed_urls(story)["rss"]).entries[0].title == "Last word."


def test_the_site_feed_gives_a_live_storys_newest_entry_as_its_updated_time(client, story):
    with at(NOON - timedelta(minutes=5)):
        make_entry(article=story, body="Still going.")
    with at(NOON):
        parsed = read(client, "/feeds/atom/")
    item = next(item for item in parsed.entries if item.title == "Storm crosses the coast")
    assert item.updated_parsed[:5] == (2026, 12, 3, 11, 55)
