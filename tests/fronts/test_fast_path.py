"""The fronts' fast path (fronts/render.py, ``NEWSROOM_FRONT_FAST_PATH``): the curated home is the
same page on both paths, to the byte, at moments on either side of its schedule's edges; the
chosen stories come with what a teaser reads and nothing else; on PostgreSQL both of the page's
queries are prepared statements, the backfill's with the live rule's status written in."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from bench.home_front import build_curated_home
from fronts import render
from newsroom.prepared import PREPARE_AFTER
from tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db

HOURS = timedelta(hours=1)


@pytest.fixture
def desk(settings, django_capture_on_commit_callbacks):
    """The benchmark's curated home over 40 stories in three sections, with a tag, featured
    stories, pictures, one story scheduled and one leaving; returns the moment it was built."""
    settings.NEWSROOM_PAGE_CACHE = False
    now = timezone.now()
    sections = [make_section(name=name, position=n) for n, name in enumerate(["World", "Arts"])]
    for n in range(40):
        extra = {"hero_image": make_image(), "hero_alt": "A quay"} if n % 9 == 0 else {}
        make_article(
            headline=f"Story {n}",
            kicker="Analysis" if n % 7 == 0 else "",
            section=sections[n % 2] if n % 5 else None,
            tags=["Ports"] if n % 3 == 0 else [],
            is_featured=n % 6 == 1,
            publish_at=now - timedelta(minutes=n + 1),
            **extra,
        )
    make_article(headline="Scheduled", section=sections[0], tags=["Ports"], publish_at=now + HOURS)
    make_article(headline="Leaving", is_featured=True, unpublish_at=now + 3 * HOURS)
    with django_capture_on_commit_callbacks(execute=True):
        build_curated_home(sections=sections, tag=Tag.objects.get(slug="ports"), now=now)
    return now


def home(client, settings, path):
    settings.NEWSROOM_FRONT_FAST_PATH = path == "fast"
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_curated_home_is_the_same_page_on_both_paths_at_every_moment(client, settings, desk):
    # Now; once the scheduled story is live; once the leaving one has gone; once the pick whose
    # window opens in ten years shows (and the lead's second pick's window has closed).
    moments = [desk, desk + 2 * HOURS, desk + 4 * HOURS, desk + timedelta(days=3660)]
    pages = []
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            fast = home(client, settings, "fast")
            assert fast == home(client, settings, "plain")
            assert fast == home(client, settings, "fast")  # the compiled query, run again
        pages.append(fast)
    assert [">Scheduled<" in page for page in pages] == [False, True, True, True]
    assert [">Leaving<" in page for page in pages] == [True, True, False, False]
    assert len(set(pages)) == len(pages)


def test_the_chosen_stories_carry_what_a_teaser_reads(desk, django_assert_num_queries):
    plain = list(Article.objects.live().for_listing().newest_first()[:12])
    with django_assert_num_queries(1):
        chosen = render.chosen_stories({story.pk for story in plain})
    assert sorted(chosen) == sorted(story.pk for story in plain)
    assert any(story.hero_image for story in plain)
    with django_assert_num_queries(0):
        for expected in plain:
            story = chosen[expected.pk]
            assert story == expected
            assert render.story_card(story, "wide") == render.story_card(expected, "wide")
            assert story.get_absolute_url() == expected.get_absolute_url()
            assert story.hero_picture == expected.hero_picture
            assert (story.hero_alt, story.is_featured) == (expected.hero_alt, expected.is_featured)
            assert story.section == expected.section
            if story.section is not None:
                assert story.section.get_absolute_url() == expected.section.get_absolute_url()
    # The story's other columns were left out: reading one asks for it.
    body = Article.objects.get(pk=plain[0].pk).body
    with django_assert_num_queries(1):
        assert chosen[plain[0].pk].body == body


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        return cursor.fetchall()


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)


@postgresql_only
def test_on_postgresql_the_home_s_two_queries_are_prepared_and_keep_their_plan(
    client, settings, desk
):
    home(client, settings, "fast")  # the fronts' index and the sections, kept for the generation
    with CaptureQueriesContext(connection) as captured:
        for _ in range(PREPARE_AFTER + 2):
            home(client, settings, "fast")
    assert len(captured) == (PREPARE_AFTER + 2) * 2
    # The log shows each statement with its values written in, so it can be run again.
    assert not any("$1" in query["sql"] for query in captured.captured_queries)
    prepared = prepared_statements()
    (backfill,) = [(sql, generic) for sql, generic in prepared if "UNION ALL" in sql]
    (chosen,) = [(sql, generic) for sql, generic in prepared if "teaser_text" in sql]
    # The status is in the text, so the one plan may walk the partial indexes on published
    # stories; the moment, the picked stories and the sections are parameters.
    assert "'published'" in backfill[0] and "$1" in backfill[0]
    assert backfill[1] > 0 and chosen[1] > 0


@postgresql_only
def test_on_postgresql_prepared_statements_can_be_turned_off_for_a_pooler(client, settings, desk):
    settings.NEWSROOM_PREPARED_STATEMENTS = False
    first = home(client, settings, "fast")
    for _ in range(PREPARE_AFTER + 2):
        assert home(client, settings, "fast") == first
    assert not [sql for sql, _ in prepared_statements() if "UNION ALL" in sql]
