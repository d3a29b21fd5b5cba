import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from taggit.models import Tag

from articles.models import Article, Byline, Correction, RelatedTeaser, Section, TaggedArticle
from authors.models import Author
from bench.management.commands import seed_bench
from content.markup import inline_plain_text

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY loader and its schema are PostgreSQL's"
)


def seeded_headlines():
    return list(Article.objects.order_by("pk").values_list("headline", flat=True))


def seeded_rows():
    """Everything a seed writes, by natural keys (the ids of authors and tags may differ)."""
    return {
        "stories": list(
            Article.objects.order_by("pk").values_list(
                "pk", "headline", "slug", "dek", "teaser_text", "body", "status", "publish_at"
            )
        ),
        "bylines": list(
            Byline.objects.order_by("article_id", "position").values_list(
                "article_id", "author__slug", "position", "publish_at"
            )
        ),
        "tags": sorted(TaggedArticle.objects.values_list("content_object", "tag__slug")),
        "teasers": list(
            RelatedTeaser.objects.order_by("article_id", "position").values_list(
                "article_id", "target_id", "position"
            )
        ),
        "corrections": list(
            Correction.objects.order_by("article_id").values_list("article_id", "text")
        ),
    }


def empty_the_archive():
    Article.objects.all().delete()
    for model in (Author, Tag, Section):
        model.objects.all().delete()


def test_seed_is_deterministic_resumable_and_browsable(client, db):
    call_command("seed_bench", articles=40, stdout=None)
    first = seeded_headlines()
    assert len(first) == 40
    assert Article.objects.live().count() >= 30
    assert Byline.objects.count() >= 40
    counts = sorted(
        (tag.articles_taggedarticle_items.count() for tag in Tag.objects.all()), reverse=True
    )
    assert counts[0] >= 5 * max(counts[len(counts) // 2], 1)  # a few tags are everywhere
    with pytest.raises(CommandError):
        call_command("seed_bench", articles=40)
    call_command("seed_bench", articles=40, resume=True)
    assert seeded_headlines() == first
    story = Article.objects.live().newest_first().first()
    for url in ("/", story.get_absolute_url(), story.section.get_absolute_url(), "/tags/topic-0/"):
        assert client.get(url).status_code == 200
    author = story.bylines.first().author
    assert story.headline in client.get(author.get_absolute_url()).content.decode()


def test_seeded_rows_carry_what_saving_them_would_derive(db):
    call_command("seed_bench", articles=30, stdout=None)
    for story in Article.objects.all():
        assert story.teaser_text == inline_plain_text(story.dek)
        assert [b.publish_at for b in story.bylines.all()] == [story.publish_at] * len(
            story.bylines.all()
        )
    # Stories are written with their ids: the next one the database hands out is free.
    assert Article.objects.create(headline="After the seed", slug="after-the-seed").pk == 31


def test_an_interrupted_seed_resumes_with_the_same_rows(db, monkeypatch):
    monkeypatch.setattr(seed_bench, "BATCH", 10)
    call_command("seed_bench", articles=30, stdout=None)
    expected = seeded_rows()
    empty_the_archive()

    make_batch = seed_bench.make_batch

    def interrupted(rng, rows, setting):
        if rows.start == 20:
            raise KeyboardInterrupt
        return make_batch(rng, rows, setting)

    monkeypatch.setattr(seed_bench, "make_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        call_command("seed_bench", articles=30, stdout=None)
    assert Article.objects.count() == 20
    monkeypatch.setattr(seed_bench, "make_batch", make_batch)
    call_command("seed_bench", articles=30, resume=True, stdout=None)

    assert seeded_rows() == expected


def schema():
    """Every index, constraint and (application) trigger, by name and definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'index', tablename, indexname, indexdef FROM pg_indexes
            WHERE schemaname = current_schema()
            UNION ALL
            SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
            UNION ALL
            SELECT 'trigger', tgrelid::regclass::text, tgname, pg_get_triggerdef(oid)
            FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL
            SELECT 'table', tablename, '', '' FROM pg_tables WHERE schemaname = current_schema()
            """
        )
        return set(cursor.fetchall())


@on_postgresql
def test_seeding_leaves_the_schema_as_the_migrations_made_it(transactional_db):
    # Committed, as a real seed is: the indexes are rebuilt by two connections of their own.
    before = schema()
    assert ("index", "articles_byline", "byline_author_published_idx") in {
        row[:3] for row in before
    }
    assert ("trigger", "articles_article", "articles_article_search_vector_update") in {
        row[:3] for row in before
    }

    call_command("seed_bench", articles=30, stdout=None)

    assert schema() == before
    # Each story's search vector is the one the trigger makes when the text is saved.
    seeded = dict(Article.objects.values_list("pk", "search_vector"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET headline = headline")
    assert dict(Article.objects.values_list("pk", "search_vector")) == seeded
    assert all(seeded.values())
