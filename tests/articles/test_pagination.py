import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.pagination import BadPage, page_of
from tests.factories import make_article, make_author, make_section

LINK = re.compile(rb'<a rel="(prev|next)" href="([^"]+)"')


def links(response):
    return {
        rel.decode(): href.decode().replace("&amp;", "&")
        for rel, href in LINK.findall(response.content)
    }


def headlines(response):
    return re.findall(
        rb'<h3 class="teaser__headline"><a href="[^"]+">([^<]+)</a>', response.content
    )


@pytest.fixture
def archive(db, settings):
    settings.NEWSROOM_PAGE_SIZE = 4
    section = make_section(name="Coast")
    moment = timezone.now() - timedelta(days=1)
    # Pairs of stories share a publication time: the cursor must still order them exactly.
    for n in range(11):
        make_article(
            headline=f"Story {n:02d}",
            section=section,
            publish_at=moment - timedelta(minutes=n // 2),
        )
    return section


def test_older_links_walk_the_whole_list_once_and_newer_links_walk_back(client, archive):
    url = archive.get_absolute_url()
    pages = [client.get(url)]
    while "next" in links(pages[-1]):
        pages.append(client.get(url + links(pages[-1])["next"]))
    seen = [headline for page in pages for headline in headlines(page)]
    expected = Article.objects.live().newest_first().values_list("headline", flat=True)
    assert seen == [headline.encode() for headline in expected]
    assert len(seen) == 11 and len(pages) == 3
    assert "prev" not in links(pages[0])
    back = client.get(url + links(pages[-1])["prev"])
    assert headlines(back) == headlines(pages[-2])


def test_cursor_keeps_other_parameters(archive):
    request = RequestFactory().get("/x/", {"q": "harbour"})
    page = page_of(request, Article.objects.live().newest_first(), per_page=4)
    assert page.older_link.startswith("?q=harbour&before=")


@pytest.mark.parametrize(
    "query", ["before=nonsense", "after=1.2.3", "before=99999999999999999999999.1"]
)
def test_bad_cursor_is_404(client, archive, query):
    assert client.get(f"{archive.get_absolute_url()}?{query}").status_code == 404


def test_other_orders_get_bounded_page_numbers(archive):
    queryset = Article.objects.live().order_by("headline")
    second = page_of(RequestFactory().get("/x/", {"page": "2"}), queryset, per_page=4)
    assert [a.headline for a in second] == ["Story 04", "Story 05", "Story 06", "Story 07"]
    assert second.newer_link == "?page=1" and second.older_link == "?page=3"
    for number in ("0", "51", "x", "9"):
        with pytest.raises(BadPage):
            page_of(RequestFactory().get("/x/", {"page": number}), queryset, per_page=4)


def test_tag_page_pages_by_cursor(client, db, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for n in range(3):
        make_article(
            headline=f"Tagged {n}",
            tags=["Ports"],
            publish_at=timezone.now() - timedelta(hours=n + 1),
        )
    url = reverse("articles:tag", args=["ports"])
    first = client.get(url)
    assert headlines(first) == [b"Tagged 0", b"Tagged 1"]
    assert headlines(client.get(url + links(first)["next"])) == [b"Tagged 2"]


def test_author_page_pages_by_cursor_on_the_bylines_copy(client, db, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    ada, ben = make_author(name="Ada"), make_author(name="Ben")
    moment = timezone.now() - timedelta(days=1)
    for n in range(7):
        # Pairs share a publication time; Ben's stories sit between Ada's.
        make_article(
            headline=f"Ada {n}", authors=[ada], publish_at=moment - timedelta(minutes=n // 2)
        )
        make_article(headline=f"Ben {n}", authors=[ben], publish_at=moment - timedelta(seconds=n))
    make_article(headline="Ada draft", authors=[ada], status=Article.Status.DRAFT)
    url = ada.get_absolute_url()
    pages = [client.get(url)]
    while "next" in links(pages[-1]):
        pages.append(client.get(url + links(pages[-1])["next"]))
    seen = [headline for page in pages for headline in headlines(page)]
    expected = Article.objects.live().filter(bylines__author=ada).newest_first()
    assert seen == [article.headline.encode() for article in expected]
    assert len(seen) == 7 and len(pages) == 4
    assert links(pages[0])["next"].startswith("?before=")
    back = client.get(url + links(pages[-1])["prev"])
    assert headlines(back) == headlines(pages[-2])


def test_cursor_bound_comes_first_so_sqlite_seeks_to_it(archive, django_assert_num_queries):
    request = RequestFactory().get("/x/", {"before": "1700000000000000.5"})
    with django_assert_num_queries(1) as captured:
        page_of(request, archive.articles.live().newest_first(), per_page=4)
    where = captured.captured_queries[0]["sql"].split("WHERE", 1)[1].lstrip(" (")
    assert where.startswith('"articles_article"."publish_at" <=')


def test_section_blocks_are_live_only(client, db):
    section = make_section(name="Coast")
    make_article(headline="Live story", section=section)
    make_article(headline="Draft story", section=section, status=Article.Status.DRAFT)
    make_article(headline="Future story", section=section, publish_at="future")
    blocks = Article.objects.live().latest_per_section([section])
    assert [article.headline for article in blocks] == ["Live story"]
