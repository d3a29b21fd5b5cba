"""Home, section, tag and author pages: what they list, how they paginate, and their 404s."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_article, make_author, make_image, make_section
from tests.htmltree import parse

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _hours_ago(hours):
    return NOW - timedelta(hours=hours)


def _headlines(element):
    return [h.clean_text for h in element.find_all(class_="teaser__headline")]


def test_home_shows_the_lead_the_latest_and_a_block_per_section(client, db, frozen):
    coast = make_section(name="Coast", slug="coast", position=1)
    city = make_section(name="City", slug="city", position=2)
    make_section(name="Empty", slug="empty", position=3)
    featured = make_article(
        headline="Featured story", section=coast, is_featured=True, publish_at=_hours_ago(9.5)
    )
    for n in range(16):
        make_article(headline=f"Coast {n}", section=coast, publish_at=_hours_ago(n + 1))
    make_article(headline="City 0", section=city, publish_at=_hours_ago(20))
    make_article(headline="No section", publish_at=_hours_ago(30))

    page = parse(client.get(reverse("articles:home")).content)

    lead = page.one("section", class_="lead-story")
    assert _headlines(lead) == ["Featured story"]
    assert lead.one("a").attrs["href"] == featured.get_absolute_url()
    latest = _headlines(page.one("section", class_="latest"))
    assert latest == [f"Coast {n}" for n in range(12)]
    blocks = page.find_all("section", class_="section-block")
    assert [block.one("h2").clean_text for block in blocks] == ["Coast", "City"]
    assert blocks[0].one("h2").one("a").attrs["href"] == coast.get_absolute_url()
    # Each block goes on from the stories shown above it, and still fills to its size.
    assert _headlines(blocks[0]) == ["Coast 12", "Coast 13", "Coast 14", "Coast 15"]
    assert _headlines(blocks[1]) == ["City 0"]


def test_a_story_shows_once_on_the_home_page(client, db, frozen):
    sections = [make_section(name=f"Desk {n}", slug=f"desk-{n}", position=n) for n in range(3)]
    make_article(
        headline="Old feature", section=sections[0], is_featured=True, publish_at=_hours_ago(50)
    )
    for n in range(24):
        make_article(headline=f"Story {n}", section=sections[n % 3], publish_at=_hours_ago(n + 1))

    page = parse(client.get(reverse("articles:home")).content)

    shown = [
        teaser.one("h2" if "teaser--lead" in teaser.classes else "h3").one("a").attrs["href"]
        for teaser in page.find_all("article", class_="teaser")
    ]
    assert len(shown) == len(set(shown)) == 1 + 12 + 3 * 4
    for block in page.find_all("section", class_="section-block"):
        assert len(_headlines(block)) == 4


def test_without_a_featured_story_the_newest_leads_and_latest_is_capped(client, db, frozen):
    for n in range(15):
        make_article(headline=f"Story {n:02d}", publish_at=_hours_ago(n + 1))

    page = parse(client.get(reverse("articles:home")).content)

    assert _headlines(page.one("section", class_="lead-story")) == ["Story 00"]
    latest = _headlines(page.one("section", class_="latest"))
    assert latest == [f"Story {n:02d}" for n in range(1, 13)]


def test_home_with_nothing_published_still_renders(client, db):
    response = client.get(reverse("articles:home"))

    assert response.status_code == 200
    assert "No stories have been published yet." in response.content.decode()


@pytest.fixture
def listings(db, frozen, settings):
    """Five live stories on one section, tag and author, plus hidden ones that must not count."""
    settings.NEWSROOM_PAGE_SIZE = 2
    section = make_section(name="Coast", slug="coast")
    author = make_author(name="Ada Reyes", slug="ada-reyes")
    for n in range(5):
        make_article(
            headline=f"Story {n}",
            section=section,
            tags=["Ports"],
            authors=[author],
            publish_at=_hours_ago(n + 1),
        )
    make_article(
        headline="Scheduled",
        section=section,
        tags=["Ports"],
        authors=[author],
        publish_at="future",
    )
    return {
        "section": section.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": "ports"}),
        "author": author.get_absolute_url(),
    }


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
def test_listing_pages_paginate_newest_first(client, listings, kind):
    # Keyset pagination: each page links to the next by a cursor, not a page number.
    url = listings[kind]
    pages = [parse(client.get(url).content)]
    while older := pages[-1].one("nav", class_="pagination").find("a", rel="next"):
        assert older.attrs["href"].startswith("?before=")
        pages.append(parse(client.get(url + older.attrs["href"]).content))

    assert [_headlines(page) for page in pages] == [
        ["Story 0", "Story 1"],
        ["Story 2", "Story 3"],
        ["Story 4"],
    ]
    assert pages[0].one("nav", class_="pagination").find("a", rel="prev") is None
    newer = pages[2].one("nav", class_="pagination").one("a", rel="prev").attrs["href"]
    assert newer.startswith("?after=")
    assert _headlines(parse(client.get(url + newer).content)) == ["Story 2", "Story 3"]


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
@pytest.mark.parametrize(
    "cursor",
    [
        {"before": "x"},
        {"before": "-1"},
        {"before": "1.5.2"},
        {"after": "1.x"},
        {"after": "99999999999999999999999.1"},
    ],
)
def test_listing_pages_malformed_cursor_is_404(client, listings, kind, cursor):
    response = client.get(listings[kind], cursor)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_single_page_has_no_pagination(client, listings, settings):
    settings.NEWSROOM_PAGE_SIZE = 20

    page = parse(client.get(listings["section"]).content)

    assert len(_headlines(page)) == 5
    assert page.find("nav", class_="pagination") is None


def test_empty_section_says_so(client, db):
    section = make_section(name="Quiet", slug="quiet")

    response = client.get(section.get_absolute_url())

    assert response.status_code == 200
    assert "No stories in this section yet." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("articles:section", {"slug": "no-such-section"}),
        ("articles:tag", {"slug": "no-such-tag"}),
        ("authors:detail", {"slug": "no-such-author"}),
        ("articles:detail", {"year": 2025, "month": 3, "day": 14, "slug": "no-such-story"}),
    ],
)
def test_unknown_slugs_are_404(client, db, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/2025/3/14/story/", "/2025/13/99/story/", "/sections/", "/nowhere/at/all/"]
)
def test_malformed_addresses_are_404_not_500(client, db, path):
    assert client.get(path).status_code == 404


def test_navigation_lists_sections_in_order_on_every_page(client, db):
    make_section(name="World", slug="world", position=2)
    make_section(name="Coast", slug="coast", position=1)

    page = parse(client.get(reverse("articles:home")).content)

    nav = page.one("ul", class_="sections-nav")
    assert [a.clean_text for a in nav.find_all("a")] == ["Coast", "World"]


@pytest.mark.parametrize("kind", ["home", "section", "tag", "author"])
def test_listing_pages_run_the_same_queries_however_many_stories(
    client,
    db,
    frozen,
    settings,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    kind,
):
    settings.NEWSROOM_PAGE_SIZE = 20

    def build(size):
        section = make_section()
        author = make_author()
        for n in range(size):
            make_article(
                section=section,
                tags=[f"topic {size}"],
                authors=[author],
                hero_image=make_image(),
                publish_at=_hours_ago(n + 1),
            )
        return {
            "home": reverse("articles:home"),
            "section": section.get_absolute_url(),
            "tag": reverse("articles:tag", kwargs={"slug": f"topic-{size}"}),
            "author": author.get_absolute_url(),
        }[kind]

    # Each build commits, as an editor's save would: the page cache starts a new generation, so
    # both pages are cache misses that also pay the same per-generation bookkeeping.
    with django_capture_on_commit_callbacks(execute=True):
        small = build(1)
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        large = build(6)

    with django_assert_num_queries(len(small_queries)):
        assert client.get(large).status_code == 200
