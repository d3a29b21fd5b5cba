"""Every public page runs a fixed number of queries, whatever the number of stories, tags, bylines
and teasers. Each page is counted on a small and a large corpus, as a page-cache miss (the cache's
own bookkeeping is warm, as it is on a live site)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Section
from articles.pagination import make_cursor
from bench.home_front import build_curated_home
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_section,
    make_teaser,
)

SIZES = {"small": (1, 1, 1, 1), "large": (45, 6, 3, 3)}


# The large corpus takes seconds to build for each test: the whole suite runs it, the quick loop not.
@pytest.fixture(params=["small", pytest.param("large", marks=pytest.mark.slow)])
def corpus(request, db):
    stories, tags, bylines, teasers = SIZES[request.param]
    sections = [make_section(name=f"Desk {n}") for n in range(1 if stories == 1 else 5)]
    authors = [make_author() for _ in range(bylines)]
    now = timezone.now()
    articles = [
        make_article(
            section=sections[n % len(sections)],
            tags=["Ports", *(f"topic {n}-{t}" for t in range(tags - 1))],
            authors=authors,
            publish_at=now - timedelta(minutes=n + 1),
            is_featured=n == 3,
        )
        for n in range(stories)
    ]
    story = articles[0]
    for n in range(teasers):
        make_teaser(
            article=story,
            target=articles[min(n + 1, stories - 1)] if stories > 1 else None,
            url="" if stories > 1 else "https://example.org/",
            headline=f"Teaser {n}",
        )
        make_correction(article=story, text=f"Correction {n}")
    return {
        "story": story,
        "section": sections[0],
        "author": authors[0],
        "last": articles[-1],
        "teasers": teasers,
    }


def count(client, url, django_assert_num_queries, expected):
    client.get(reverse("articles:corrections"))  # the generation and the section list
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    assert response.headers.get("X-Page-Cache") != "hit"
    return response


def test_home(client, corpus, django_assert_num_queries, front_path):
    # The home front (its zones and picks come from the fronts' cached index): one query for
    # every zone's backfill candidates (the featured lead, the newest, each section's newest
    # four), and one for the stories chosen among them.
    count(client, reverse("articles:home"), django_assert_num_queries, 2)


def test_story(client, corpus, django_assert_num_queries, settings, story_path):
    # The story with its section, tags and corrections; its bylines; its teaser strip: the curated
    # teasers, plus automatic related stories only when the teasers leave room (at most 4 in all).
    # The same on both paths of articles/story_page.py: on the plain one the bylines are
    # for_detail()'s prefetch, on the fast one a prepared query of their own.
    room = corpus["teasers"] < settings.NEWSROOM_TEASER_COUNT
    expected = 4 if room else 3
    response = count(
        client, corpus["story"].get_absolute_url(), django_assert_num_queries, expected
    )
    assert b"Ports" in response.content and b"Correction 0" in response.content


def test_section_pages(client, corpus, django_assert_num_queries):
    url = corpus["section"].get_absolute_url()
    count(client, url, django_assert_num_queries, 2)
    count(client, f"{url}?before={make_cursor(corpus['last'])}", django_assert_num_queries, 2)
    count(client, f"{url}?after={make_cursor(corpus['last'])}", django_assert_num_queries, 2)


def test_tag_pages(client, corpus, django_assert_num_queries):
    url = reverse("articles:tag", args=["ports"])
    count(client, url, django_assert_num_queries, 2)
    count(client, f"{url}?before={make_cursor(corpus['story'])}", django_assert_num_queries, 2)


def test_author_pages(client, corpus, django_assert_num_queries):
    url = corpus["author"].get_absolute_url()
    count(client, url, django_assert_num_queries, 2)
    count(client, f"{url}?before={make_cursor(corpus['story'])}", django_assert_num_queries, 2)


def test_search_pages(client, corpus, django_assert_num_queries):
    # The page's stories, picked from the capped candidates, with their snippets and sections.
    url = f"{reverse('articles:search')}?q=story"
    count(client, url, django_assert_num_queries, 1)
    if corpus["story"] != corpus["last"]:
        count(client, f"{url}&page=2", django_assert_num_queries, 1)


def test_feeds_page(client, corpus, django_assert_num_queries):
    # The sections it lists are the navigation's cached list.
    count(client, reverse("feeds:index"), django_assert_num_queries, 0)


def test_first_page_of_a_generation_also_reads_the_schedule_and_sections(
    client, db, django_assert_num_queries
):
    # Once after each change or scheduled event, for all pages: six indexed MIN() look-ups for
    # the next scheduled event (stories in and out, teasers' windows, corrections, entries) and
    # one for the picks' windows, the section list, and the fronts' index (the fronts, their
    # zones, their picks); then the page's own two.
    make_article(section=make_section())
    with django_assert_num_queries(6 + 1 + 1 + 3 + 2):
        client.get(reverse("articles:home"))


def test_story_tags_from_the_story_query_are_real_tags(corpus, django_assert_num_queries):
    article = Article.objects.for_detail().get(pk=corpus["story"].pk)
    with django_assert_num_queries(0):
        tags = article.tag_list
    assert [(t.pk, t.slug) for t in tags] == [
        (t.pk, t.slug) for t in sorted(corpus["story"].tags.all(), key=lambda t: t.name.lower())
    ]


def test_curated_home(client, corpus, django_assert_num_queries, front_path):
    # The benchmark's curated home: eight zones (picks in and out of their windows, sections, a
    # tag, featured only, an external link) cost what the migrated front costs (see test_home).
    section = corpus["section"]
    build_curated_home(sections=list(Section.objects.all()), tag=Tag.objects.get(slug="ports"))
    # With a single story every pick shows it, and no backfill is left to fetch.
    expected = 2 if corpus["story"] != corpus["last"] else 1
    response = count(client, reverse("articles:home"), django_assert_num_queries, expected)
    html = response.content.decode()
    assert html.count('class="teaser') >= 2 and "The desk&#x27;s lead" in html
    assert section.name in html
