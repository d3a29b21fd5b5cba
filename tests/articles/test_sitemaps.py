import logging
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import StorySitemap, TagSitemap
from tests.factories import make_article, make_author, make_section

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
# The site's clock in the tests below that need the calendar to hold still (the site's time zone
# is Europe/London, on GMT in March).
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own output)


def locs(tree):
    return [el.text for el in tree.iterfind(".//sm:loc", NS)]


def absolute(obj):
    return "https://news.example" + obj.get_absolute_url()


def month_url(year, month):
    return "https://news.example" + reverse("sitemap_stories", args=[date(year, month, 1)])


def month_stories(client, year, month):
    return locs(xml(client, month_url(year, month)))


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def make_hidden_stories(*, publish_at=None, **common):
    """A story in each state that is never public; those with a past publication time at
    ``publish_at`` (default: an hour ago), so that they fall in a month with live stories."""
    publish_at = publish_at or timezone.now() - timedelta(hours=1)
    return [
        make_article(headline="Scheduled", publish_at="future", **common),
        make_article(
            headline="Draft", status=Article.Status.DRAFT, publish_at=publish_at, **common
        ),
        make_article(headline="Expired", publish_at=publish_at, unpublish_at="past", **common),
        make_article(
            headline="Withdrawn", status=Article.Status.WITHDRAWN, publish_at=publish_at, **common
        ),
    ]


def test_index_lists_each_sitemap_and_they_list_only_live_content(client, db, clock):
    section = make_section(slug="world")
    empty_section = make_section(slug="empty")
    author = make_author(slug="ada")
    idle_author = make_author(slug="idle")
    live = make_article(section=section, tags=["harbour"], authors=[author])
    hidden = make_hidden_stories(section=empty_section, tags=["secret"], authors=[idle_author])

    index = locs(xml(client, reverse("sitemap_index")))
    assert index == [
        month_url(2026, 3),
        *(f"https://news.example/sitemap-{name}.xml" for name in ("sections", "tags", "authors")),
    ]

    stories = xml(client, month_url(2026, 3))
    assert locs(stories) == [absolute(live)]
    assert stories.find(".//sm:lastmod", NS) is not None
    assert not set(locs(stories)) & {absolute(a) for a in hidden}
    assert locs(xml(client, "/sitemap-sections.xml")) == [absolute(section)]
    assert locs(xml(client, "/sitemap-tags.xml")) == ["https://news.example/tags/harbour/"]
    assert locs(xml(client, "/sitemap-authors.xml")) == [absolute(author)]


def test_index_lists_every_month_from_the_oldest_live_story_to_this_one(client, db, clock):
    make_article(publish_at=at(2025, 11, 20))
    make_article(publish_at=at(2026, 1, 5))
    # Older, or later, than every live story, but none of them public.
    make_hidden_stories(publish_at=at(2025, 6, 1))
    make_article(publish_at=at(2026, 5, 1))  # scheduled

    index = locs(xml(client, reverse("sitemap_index")))
    months = [loc for loc in index if "sitemap-stories-" in loc]
    assert months == [
        month_url(2026, 3),
        month_url(2026, 2),
        month_url(2026, 1),
        month_url(2025, 12),
        month_url(2025, 11),
    ]
    # Each listed month answers, the empty ones with an empty list.
    assert month_stories(client, 2026, 2) == []
    assert month_stories(client, 2026, 3) == []


def test_index_of_a_site_without_live_stories_lists_the_other_sitemaps(client, db, clock):
    make_hidden_stories()
    index = locs(xml(client, reverse("sitemap_index")))
    assert not [loc for loc in index if "sitemap-stories-" in loc]
    assert len(index) == 3


def test_month_sitemap_lists_that_months_live_stories_newest_first(client, db, clock):
    january = [make_article(publish_at=at(2026, 1, day)) for day in (3, 30, 12)]
    february = make_article(publish_at=at(2026, 2, 1))
    make_hidden_stories(publish_at=at(2026, 1, 20))
    assert month_stories(client, 2026, 1) == [
        absolute(a) for a in (january[1], january[2], january[0])
    ]
    assert month_stories(client, 2026, 2) == [absolute(february)]


def test_scheduled_story_appears_in_its_month_only_once_it_is_live(client, db, clock):
    make_article(publish_at=at(2026, 2, 1))
    scheduled = make_article(publish_at=NOW + timedelta(hours=2))
    assert month_stories(client, 2026, 3) == []
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert month_stories(client, 2026, 3) == [absolute(scheduled)]


@pytest.mark.parametrize(
    ("zone", "publish_at", "month", "address_date"),
    [
        # London is on GMT in January and on BST (UTC+1) in summer: 23:30 UTC on 30 June is
        # already 00:30 on 1 July there, which is also the date in the story's address.
        ("Europe/London", at(2025, 1, 31, 23, 30), (2025, 1), "/2025/01/31/"),
        ("Europe/London", at(2025, 6, 30, 23, 30), (2025, 7), "/2025/07/01/"),
        ("America/New_York", at(2025, 1, 31, 23, 30), (2025, 1), "/2025/01/31/"),
        ("America/New_York", at(2025, 2, 1, 3, 0), (2025, 1), "/2025/01/31/"),
        ("Asia/Tokyo", at(2025, 1, 31, 23, 30), (2025, 2), "/2025/02/01/"),
    ],
)
def test_months_are_calendar_months_in_the_sites_time_zone(
    client, db, clock, settings, zone, publish_at, month, address_date
):
    settings.TIME_ZONE = zone
    make_article(publish_at=at(2024, 12, 1))  # so that every month of 2025 is listed
    story = make_article(publish_at=publish_at)
    assert address_date in story.get_absolute_url()
    assert month_stories(client, *month) == [absolute(story)]
    neighbours = {(2025, m) for m in (1, 2, 6, 7)} - {month}
    for year, other in neighbours:
        assert absolute(story) not in month_stories(client, year, other)


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-stories-2026-13.xml",
        "/sitemap-stories-2026-00.xml",
        "/sitemap-stories-0000-01.xml",
        "/sitemap-stories-2026-1.xml",
        "/sitemap-stories-20261-01.xml",
        "/sitemap-stories-march.xml",
        "/sitemap-stories-2026-03.xml?p=2",
        "/sitemap-stories-2026-03.xml?p=abc",
        "/sitemap-stories.xml",
        # Months the index does not list: before the oldest live story, and after this one.
        "/sitemap-stories-2025-12.xml",
        "/sitemap-stories-2026-04.xml",
        "/sitemap-stories-9999-12.xml",
        "/sitemap-stories-0001-01.xml",
    ],
)
def test_bad_or_unlisted_month_is_not_found(client, db, clock, path):
    make_article(publish_at=at(2026, 1, 10))
    assert client.get(path).status_code == 404


def test_a_month_past_the_limit_lists_its_newest_stories_and_warns(
    client, db, clock, monkeypatch, caplog
):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    stories = [make_article(publish_at=at(2026, 2, day)) for day in (1, 2, 3)]
    with caplog.at_level(logging.WARNING, logger="articles.sitemaps"):
        assert month_stories(client, 2026, 2) == [absolute(stories[2]), absolute(stories[1])]
    assert "2026-02" in caplog.text


def test_index_splits_a_list_sitemap_past_its_limit(client, db, clock, monkeypatch):
    monkeypatch.setattr(TagSitemap, "limit", 2)
    make_article(tags=[f"tag {n}" for n in range(5)])
    index = locs(xml(client, reverse("sitemap_index")))
    assert "https://news.example/sitemap-tags.xml?p=3" in index
    assert "https://news.example/sitemap-tags.xml?p=4" not in index
    pages = [locs(xml(client, f"/sitemap-tags.xml?p={p}")) for p in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert client.get("/sitemap-tags.xml?p=4").status_code == 404
    assert client.get("/sitemap-tags.xml?p=abc").status_code == 404


@pytest.fixture(params=["small", "large"])
def archive(request, db, clock):
    """One story, or stories over five months with tags, authors and hidden stories."""
    if request.param == "small":
        make_article(publish_at=at(2026, 3, 1), tags=["ports"], authors=[make_author()])
        return
    sections = [make_section() for _ in range(3)]
    authors = [make_author() for _ in range(4)]
    for n in range(30):
        make_article(
            publish_at=at(2025, 11, 1) + timedelta(days=4 * n),
            section=sections[n % 3],
            tags=[f"topic {n % 7}", "ports"],
            authors=authors[n % 4 :][:2],
        )
    make_hidden_stories(publish_at=at(2026, 3, 1))


def test_sitemap_queries_do_not_grow_with_the_archive(client, archive, django_assert_num_queries):
    client.get(reverse("robots_txt"))  # the page cache's own bookkeeping, as on a live site
    # The oldest live story (an indexed MIN), and MAX(id) of sections, tags and authors.
    with django_assert_num_queries(4):
        assert client.get(reverse("sitemap_index")).status_code == 200
    # The oldest live story again (is the month listed?), then the month's stories.
    with django_assert_num_queries(2):
        assert client.get(month_url(2026, 3)).status_code == 200
    # MAX(id) (one page is enough), then the list.
    for name in ("sections", "tags", "authors"):
        with django_assert_num_queries(2):
            assert client.get(f"/sitemap-{name}.xml").status_code == 200


def test_no_sitemap_counts_rows(client, archive):
    urls = [reverse("sitemap_index"), reverse("news_sitemap"), month_url(2026, 3)]
    urls += [f"/sitemap-{name}.xml" for name in ("sections", "tags", "authors")]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()], url


def test_section_lastmod_is_its_newest_live_story(client, db, clock):
    section = make_section()
    make_article(section=section, publish_at=at(2026, 2, 1))
    make_article(section=section, publish_at=at(2026, 3, 10))
    make_hidden_stories(section=section, publish_at=at(2026, 3, 12))
    tree = xml(client, "/sitemap-sections.xml")
    assert tree.findtext(".//sm:lastmod", namespaces=NS) == "2026-03-10"


def test_news_sitemap_has_live_stories_of_the_last_48_hours(client, db, settings):
    settings.NEWSROOM_SITE_NAME = "The Daily <Test> & Co"
    now = timezone.now()
    fresh = make_article(headline='Fresh "news" & <views>', publish_at=now - timedelta(hours=47))
    make_article(headline="Old", publish_at=now - timedelta(hours=49))
    make_hidden_stories()
    tree = xml(client, reverse("news_sitemap"))
    assert locs(tree) == [absolute(fresh)]
    news = tree.find(".//news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Daily <Test> & Co"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == 'Fresh "news" & <views>'
    published = news.findtext("news:publication_date", namespaces=NS)
    assert published == timezone.localtime(fresh.publish_at).isoformat()


def test_news_sitemap_window_moves_with_the_clock(client, db):
    now = timezone.now()
    story = make_article(publish_at=now - timedelta(hours=1))
    assert locs(xml(client, reverse("news_sitemap"))) == [absolute(story)]
    with time_machine.travel(now + timedelta(hours=48), tick=False):
        assert locs(xml(client, reverse("news_sitemap"))) == []


def test_robots_txt_names_both_sitemaps(client, db):
    response = client.get(reverse("robots_txt"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://news.example/sitemap.xml" in lines
    assert "Sitemap: https://news.example/news-sitemap.xml" in lines
