from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.preview import make_token
from tests.factories import make_article, make_author, make_correction, make_section
from tests.htmltree import parse

FORMATS = ("rss", "atom")


@pytest.fixture
def grid(db):
    """Two live stories and one of every state that must stay out, all sharing section, tag, author."""
    now = timezone.now()
    section = make_section(slug="world")
    author = make_author(name="Ada Reporter", slug="ada")
    common = {"section": section, "tags": ["harbour"], "authors": [author]}
    older = make_article(headline="Older live", publish_at=now - timedelta(hours=5), **common)
    newer = make_article(
        headline="Newer live",
        publish_at=now - timedelta(hours=1),
        dek="The dek.",
        body="Full **body** text.",
        **common,
    )
    make_article(headline="Scheduled", publish_at="future", **common)
    make_article(headline="Draft", status=Article.Status.DRAFT, **common)
    make_article(headline="In review", status=Article.Status.IN_REVIEW, **common)
    make_article(
        headline="Expired", unpublish_at="past", publish_at=now - timedelta(days=2), **common
    )
    make_article(headline="Withdrawn", status=Article.Status.WITHDRAWN, **common)
    return {"older": older, "newer": newer, "section": section, "author": author}


def feed_urls():
    for fmt in FORMATS:
        yield reverse(f"feeds:site_{fmt}")
        yield reverse(f"feeds:section_{fmt}", args=["world"])
        yield reverse(f"feeds:tag_{fmt}", args=["harbour"])
        yield reverse(f"feeds:author_{fmt}", args=["ada"])


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


@pytest.mark.parametrize("url", list(feed_urls()))
def test_story_feeds_parse_and_list_only_live_stories_newest_first(client, grid, url):
    _, parsed = fetch(client, url)
    assert [entry.title for entry in parsed.entries] == ["Newer live", "Older live"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_items_carry_author_categories_summary_and_full_body(client, grid, fmt):
    _, parsed = fetch(client, reverse(f"feeds:site_{fmt}"))
    entry = parsed.entries[0]
    assert entry.author == "Ada Reporter"
    assert [tag.term for tag in entry.tags] == ["harbour"]
    assert entry.summary == "The dek."
    assert "<strong>body</strong>" in entry.content[0].value
    assert entry.link == "https://news.example" + grid["newer"].get_absolute_url()


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_headline_is_escaped_in_feeds(client, db, fmt):
    hostile = '</title><script>alert(1)</script> & "quotes"'
    make_article(headline=hostile, dek="<img src=x onerror=alert(1)>")
    response, parsed = fetch(client, reverse(f"feeds:site_{fmt}"))
    assert b"<script>" not in response.content
    assert b"<img" not in response.content
    assert parsed.entries[0].title == hostile


@pytest.mark.parametrize("fmt", FORMATS)
def test_corrections_feed_lists_public_corrections_only(client, db, fmt):
    live = make_article(headline="Live story")
    withdrawn = make_article(headline="Gone story", status=Article.Status.WITHDRAWN)
    make_correction(article=live, text="The bridge is 40 metres long.")
    make_correction(article=live, text="Not yet.", published_at=timezone.now() + timedelta(hours=1))
    make_correction(article=withdrawn, text="Hidden with its story.")
    _, parsed = fetch(client, reverse(f"feeds:corrections_{fmt}"))
    assert [entry.summary for entry in parsed.entries] == ["The bridge is 40 metres long."]
    assert parsed.entries[0].title == "Correction: Live story"


def test_unknown_section_feed_is_404(client, db):
    assert client.get(reverse("feeds:section_rss", args=["nope"])).status_code == 404


def test_pages_advertise_their_feeds(client, grid):
    section_page = client.get(grid["section"].get_absolute_url()).content.decode()
    assert f'href="{reverse("feeds:site_rss")}"' in section_page
    assert f'href="{reverse("feeds:section_atom", args=["world"])}"' in section_page
    author_page = client.get(grid["author"].get_absolute_url()).content.decode()
    assert 'type="application/rss+xml"' in author_page
    assert f'href="{reverse("feeds:author_rss", args=["ada"])}"' in author_page


def test_feed_queries_do_not_grow_with_the_number_of_stories(client, db, django_assert_num_queries):
    for n in range(5):
        make_article(tags=[f"tag{n}", "common"], authors=[make_author()])
    client.get(reverse("articles:home"))  # the page cache's per-generation bookkeeping
    # Stories with their section and tags, bylines with authors.
    with django_assert_num_queries(2):
        assert client.get(reverse("feeds:site_rss")).status_code == 200


def feed_links_in(element):
    return [a.attrs["href"] for a in element.find_all("a") if "/feeds/" in a.attrs["href"]]


def test_the_feeds_page_lists_working_feeds_of_every_kind(client, grid):
    make_section(name="Sport", slug="sport")
    response = client.get(reverse("feeds:index"))
    assert response.status_code == 200
    listed = feed_links_in(parse(response.content).one("main"))
    expected = [
        reverse(f"feeds:{name}_{fmt}", args=args)
        for name, args in [
            ("site", []),
            ("corrections", []),
            *[("section", [s]) for s in ("world", "sport")],
        ]
        for fmt in FORMATS
    ]
    assert sorted(listed) == sorted(expected)
    for url in listed:
        fetch(client, url)


def reader_pages(grid):
    """Every kind of reader page, each with the status it answers."""
    story = grid["newer"]
    draft = make_article(headline="Draft", status=Article.Status.DRAFT, publish_at=None)
    return {
        reverse("articles:home"): 200,
        story.get_absolute_url(): 200,
        grid["section"].get_absolute_url(): 200,
        reverse("articles:tag", args=["harbour"]): 200,
        grid["author"].get_absolute_url(): 200,
        reverse("articles:search") + "?q=live": 200,
        reverse("articles:corrections"): 200,
        reverse("feeds:index"): 200,
        reverse("articles:preview", args=[make_token(draft)]): 200,
        "/no-such-page/": 404,
    }


def test_every_reader_page_has_the_footer_with_the_feeds_and_corrections(client, grid):
    for url, status in reader_pages(grid).items():
        response = client.get(url)
        assert response.status_code == status, url
        footer = parse(response.content).one("footer", class_="site-footer")
        links = [a.attrs["href"] for a in footer.find_all("a")]
        assert reverse("feeds:index") in links, url
        assert reverse("feeds:site_rss") in links, url
        assert reverse("articles:corrections") in links, url


def test_list_pages_and_the_corrections_page_link_their_own_feeds(client, grid):
    pages = {
        reverse("articles:corrections"): "corrections",
        grid["section"].get_absolute_url(): "section",
        reverse("articles:tag", args=["harbour"]): "tag",
        grid["author"].get_absolute_url(): "author",
    }
    for url, kind in pages.items():
        page = parse(client.get(url).content)
        args = [] if kind == "corrections" else [url.strip("/").split("/")[-1]]
        own = [reverse(f"feeds:{kind}_{fmt}", args=args) for fmt in FORMATS]
        # Visible on the page, and announced to feed readers in the head.
        assert feed_links_in(page.one("main")) == own, url
        alternates = [link.attrs["href"] for link in page.find_all("link", rel="alternate")]
        assert set(own) <= set(alternates), url
