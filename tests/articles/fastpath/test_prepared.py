"""Prepared queries (newsroom/prepared.py) answer exactly what the ORM queryset they were
built from answers, for new values each time: nothing of one call's values is kept in the next."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.story_page import related_strip, story_for_page
from newsroom.prepared import PREPARE_AFTER, PreparedQuery, PrepareError
from tests.factories import make_article, make_author, make_section, make_teaser


def orm_fill(story, at, room=3):
    return list(
        Article.objects.related_to(
            tag_ids=sorted(tag.pk for tag in story.tags.all()),
            section_id=story.section_id,
            exclude=[story.pk],
            host=story.pk,
            at=at,
        ).for_listing()[:room]
    )


def prepared_fill(story, at):
    return [teaser.target for teaser in related_strip(story, at)]


@pytest.fixture
def archive(db):
    world, sport = make_section(name="World"), make_section(name="Sport")
    stories = [
        make_article(headline="Harbour", section=world, tags=["ports", "strikes"]),
        make_article(headline="Dockers", section=world, tags=["strikes"]),
        make_article(headline="Ferries", section=sport, tags=["ports"]),
        make_article(headline="Cup final", section=sport),
        make_article(headline="Untagged", section=None),
        make_article(headline="Tomorrow", section=world, tags=["strikes"], publish_at="future"),
    ]
    return {story.headline: story for story in stories}


def test_every_story_gets_the_orm_answer(archive):
    now = timezone.now()
    for story in archive.values():
        story = Article.objects.for_detail(now).get(pk=story.pk)
        assert prepared_fill(story, now) == orm_fill(story, now), story.headline


def test_new_values_take_effect_in_the_same_compiled_shape(archive):
    harbour = Article.objects.for_detail().get(headline="Harbour")
    now = timezone.now()
    assert "Tomorrow" not in [s.headline for s in prepared_fill(harbour, now)]
    later = now + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        shown = [s.headline for s in prepared_fill(harbour, later)]
    assert shown[0] == "Tomorrow"  # scheduled, now live, shares a tag and the section
    assert shown == [s.headline for s in orm_fill(harbour, later)]


def test_the_fill_leaves_out_what_the_host_teases_or_blocks_as_the_orm_does(archive):
    now = timezone.now()
    harbour, world = archive["Harbour"], archive["Harbour"].section
    make_article(headline="Pier", section=world, tags=["ports"])
    make_teaser(
        article=harbour,
        target=archive["Dockers"],
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
    )
    make_teaser(article=harbour, target=archive["Ferries"], is_blocked=True)
    # Every story in turn: each call's host is a new value for the same compiled shape.
    for story in Article.objects.all():
        story = Article.objects.for_detail(now).get(pk=story.pk)
        assert prepared_fill(story, now) == orm_fill(story, now), story.headline
    harbour = Article.objects.for_detail(now).get(pk=harbour.pk)
    assert [s.headline for s in prepared_fill(harbour, now)] == ["Pier"]
    dockers = Article.objects.for_detail(now).get(headline="Dockers")
    assert "Harbour" in [s.headline for s in prepared_fill(dockers, now)]


def test_story_for_page_matches_for_detail(archive):
    story = archive["Harbour"]
    story.bylines.create(author=make_author(name="Ada Quay"), position=0)
    make_teaser(article=story, target=archive["Cup final"])
    now = timezone.now()
    found = story_for_page(slug=story.slug, at=now)
    expected = Article.objects.for_detail(now).get(pk=story.pk)
    assert found == expected
    assert [t.name for t in found.tag_list] == [t.name for t in expected.tag_list]
    assert [b.author.name for b in found.bylines.all()] == ["Ada Quay"]
    assert found.bylines.all()[0].article is found
    assert story_for_page(slug="no-such-story", at=now) is None
    assert story_for_page(slug=archive["Tomorrow"].slug, at=now).headline == "Tomorrow"


def test_a_value_written_into_the_sql_is_refused(db):
    # The mistake the check exists for: a value formatted into the SQL text.
    inline = PreparedQuery(lambda *, n: Article.objects.extra(where=[f"id <> {n}"]))  # noqa: S610
    with pytest.raises(PrepareError):
        inline.run(n=5)


def test_a_query_that_can_match_nothing_gives_no_rows(db):
    make_article()
    empty = PreparedQuery(lambda *, ids: Article.objects.filter(pk__in=ids))
    assert empty.run(ids=[]) == []
    assert len(empty.run(ids=[Article.objects.get().pk])) == 1


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_on_postgresql_the_story_queries_are_prepared_once_and_keep_their_plan(archive, settings):
    story = archive["Harbour"]
    now = timezone.now()
    expected = [s.headline for s in orm_fill(story, now)]
    with CaptureQueriesContext(connection) as captured:
        for _ in range(PREPARE_AFTER + 3):
            assert [s.headline for s in prepared_fill(story, now)] == expected
            assert story_for_page(slug=story.slug, at=now).headline == "Harbour"
    # Each run is still one logged query: per round the story and its bylines, the tags (this
    # story object was not read by for_detail), the curated teasers and the fill.
    assert len(captured) == (PREPARE_AFTER + 3) * 5
    # The log shows each statement with its values written in, so it can be run again.
    logged = [query["sql"] for query in captured.captured_queries]
    assert not any("$1" in sql for sql in logged)
    assert any(f"'{story.slug}'" in sql for sql in logged)
    prepared = prepared_statements()
    assert any('"articles_relatedteaser"' in sql for sql, _ in prepared)
    assert any("tagged" in sql for sql, _ in prepared)  # the related fill
    assert all(generic > 0 for _, generic in prepared)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_prepared_statements_can_be_turned_off_for_a_pooler(archive, settings):
    settings.NEWSROOM_PREPARED_STATEMENTS = False
    story = archive["Harbour"]
    now = timezone.now()
    for _ in range(PREPARE_AFTER + 3):
        assert [s.headline for s in prepared_fill(story, now)] == [
            s.headline for s in orm_fill(story, now)
        ]
    assert prepared_statements() == []
