"""A story running live coverage is labelled "Live" wherever it is listed, with its newest
entry's time as its time; ended coverage is listed like any story."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from live.services import end_coverage
from tests.factories import make_article, make_entry, make_live_story, make_section, make_teaser
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def teaser_of(html, headline):
    tree = parse(html)
    for node in tree.find_all("article", class_="teaser") + tree.find_all(
        "li", class_="search-result"
    ):
        if headline in node.clean_text:
            return node
    raise AssertionError(f"no teaser for {headline!r}")


@pytest.fixture
def world():
    with at(NOON - timedelta(hours=5)):
        section = make_section(name="Weather")
        story = make_live_story(headline="Storm live", section=section, tags=["storm"])
        plain = make_article(headline="Calm before", section=section, tags=["storm"])
        make_teaser(article=plain, target=story)
    with at(NOON - timedelta(minutes=7)):
        make_entry(article=story)
    with at(NOON - timedelta(hours=1)):
        make_entry(article=story, publish_at=NOON + timedelta(minutes=30))
    return story, plain


def pages(story, plain):
    return {
        "home": reverse("articles:home"),
        "section": story.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["storm"]),
        "related strip": plain.get_absolute_url(),
        "search": f"{reverse('articles:search')}?q=Storm",
    }


def test_a_live_story_is_labelled_with_its_newest_entry_time_everywhere(client, world):
    story, plain = world
    for name, url in pages(story, plain).items():
        with at(NOON):
            teaser = teaser_of(client.get(url).content, "Storm live")
        assert teaser.find("p", class_="live-label").clean_text == "Live", name
        assert teaser.one("time").attrs["datetime"].startswith("2026-12-03T11:53"), name
        # The scheduled entry's time is the story's time from that moment on.
        with at(NOON + timedelta(minutes=30)):
            teaser = teaser_of(client.get(url).content, "Storm live")
        assert teaser.one("time").attrs["datetime"].startswith("2026-12-03T12:30"), name


def test_a_plain_story_has_no_label_and_its_publication_time(client, world):
    story, plain = world
    with at(NOON):
        teaser = teaser_of(client.get(story.section.get_absolute_url()).content, "Calm before")
    assert teaser.find("p", class_="live-label") is None
    shown = datetime.strptime(teaser.one("time").attrs["datetime"], "%Y-%m-%dT%H:%M:%S%z")
    assert shown == plain.publish_at.replace(microsecond=0)


def test_ended_coverage_shows_no_label(client, world):
    story, plain = world
    with at(NOON):
        end_coverage(article=story, by=None)
        for name, url in pages(story, plain).items():
            teaser = teaser_of(client.get(url).content, "Storm live")
            assert teaser.find("p", class_="live-label") is None, name
