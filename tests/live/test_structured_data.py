"""A live coverage page's LiveBlogPosting: schema.org's type with the properties search engines'
live-blog guidance requires (coverage times, headline, dates, the updates as BlogPosting)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from live.services import end_coverage
from live.stream import NEWEST
from tests.articles.test_structured_data import json_ld
from tests.factories import make_article, make_author, make_entry, make_live_story

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
STARTED = NOON - timedelta(hours=2)
# Every property a LiveBlogPosting here may carry, each one schema.org defines on the type or
# on what it inherits (BlogPosting, SocialMediaPosting, Article, CreativeWork, Thing).
LIVE_BLOG_PROPERTIES = {
    "@context", "@type", "headline", "description", "url", "mainEntityOfPage", "datePublished",
    "dateModified", "author", "publisher", "inLanguage", "keywords", "image", "articleSection",
    "correction", "coverageStartTime", "coverageEndTime", "liveBlogUpdate",
}  # fmt: skip
# What the guidance requires of the posting and of each update.
REQUIRED = {"@type", "headline", "datePublished", "coverageStartTime", "liveBlogUpdate"}
UPDATE_REQUIRED = {"@type", "headline", "datePublished", "articleBody", "url"}
UPDATE_PROPERTIES = {*UPDATE_REQUIRED, "dateModified", "author"}


def at(moment):
    return time_machine.travel(moment, tick=False)


def when(text):
    return datetime.fromisoformat(text)


@pytest.fixture
def story():
    with at(STARTED - timedelta(minutes=30)):
        return make_live_story(headline="Count night", coverage_started_at=STARTED)


def test_a_live_page_has_a_live_blog_posting_with_the_newest_entries(client, story):
    author = make_author(name="Jo Counter")
    with at(NOON - timedelta(minutes=90)):
        make_entry(
            article=story, body="Polls have *closed*.", headline="Polls close", author=author
        )
    for minutes in range(NEWEST + 2, 0, -1):
        with at(NOON - timedelta(minutes=minutes)):
            newest = make_entry(article=story, body=f"Ward {minutes} declares.")
    with at(NOON):
        data = json_ld(client.get(story.get_absolute_url()))
    assert "NewsArticle" not in data
    live = data["LiveBlogPosting"]
    assert REQUIRED <= set(live) <= LIVE_BLOG_PROPERTIES
    assert "coverageEndTime" not in live
    assert when(live["coverageStartTime"]) == STARTED
    assert live["headline"] == "Count night"
    assert when(live["dateModified"]) == newest.publish_at
    updates = live["liveBlogUpdate"]
    assert len(updates) == NEWEST
    for update in updates:
        assert UPDATE_REQUIRED <= set(update) <= UPDATE_PROPERTIES
        assert update["@type"] == "BlogPosting"
    first = updates[0]
    assert first["headline"] == "Ward 1 declares." == first["articleBody"]
    assert first["url"] == f"https://news.example{story.get_absolute_url()}#entry-{newest.pk}"
    assert when(first["datePublished"]) == newest.publish_at
    assert [when(update["datePublished"]) for update in updates] == sorted(
        (when(update["datePublished"]) for update in updates), reverse=True
    )
    assert data["BreadcrumbList"]


def test_an_entry_with_a_headline_and_markdown_is_plain_text_in_the_update(client, story):
    with at(NOON - timedelta(minutes=5)):
        make_entry(article=story, headline="Polls close", body="Polls have **closed**.")
    with at(NOON):
        update = json_ld(client.get(story.get_absolute_url()))["LiveBlogPosting"]["liveBlogUpdate"]
    assert update[0]["headline"] == "Polls close"
    assert update[0]["articleBody"] == "Polls have closed."


def test_ended_coverage_has_its_end_time(client, story):
    with at(NOON - timedelta(minutes=5)):
        make_entry(article=story)
    with at(NOON):
        end_coverage(article=story, by=None)
        live = json_ld(client.get(story.get_absolute_url()))["LiveBlogPosting"]
    assert when(live["coverageEndTime"]) == NOON


def test_a_plain_story_keeps_its_news_article(client):
    data = json_ld(client.get(make_article(headline="Budget").get_absolute_url()))
    assert "NewsArticle" in data and "LiveBlogPosting" not in data
