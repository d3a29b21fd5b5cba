"""A newsroom-sized corpus on PostgreSQL, for the EXPLAIN tests: stories in sections, with tags
and teasers, written by SQL in about a second."""

from django.db import connection

from articles.models import Article, Section
from tests.factories import make_article


def seed_corpus(stories, *, featured_every=None):
    """``stories`` stories (100,000, say) in 20 sections; each has a very common, a middling and
    a rare tag; one in ``featured_every`` is featured (none, by default).

    One INSERT ... SELECT copies a prototype saved through the ORM, so every column (including any
    added later) gets a valid value, in about a second rather than the minute bulk_create takes.
    """
    sections = Section.objects.bulk_create(
        Section(name=f"Section {n}", slug=f"bulk-section-{n}") for n in range(20)
    )
    prototype = make_article(headline="Prototype", slug="bulk-prototype", section=sections[0])
    varying = {
        "headline": "'Bulk story ' || n",
        "slug": "'bulk-story-' || n",
        # One in ten a draft, one in ten withdrawn, one in fifty scheduled for tomorrow.
        "status": "CASE n %% 10 WHEN 8 THEN 'draft' WHEN 9 THEN 'withdrawn' ELSE 'published' END",
        "publish_at": "now() - n * interval '1 minute'"
        " + CASE WHEN n %% 50 = 0 THEN interval '1 day' ELSE interval '0' END",
        "section_id": "(%s::bigint[])[1 + n %% 20]",
    }
    if featured_every:
        # Off the drafts, the withdrawn and the scheduled (n % 10 of 8 or 9, n % 50 of 0).
        varying["is_featured"] = f"n %% {int(featured_every)} = 7"
    columns = [f.column for f in Article._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    select = [varying.get(column, f"p.{quote(column)}") for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO articles_article ({', '.join(map(quote, columns))}) "  # noqa: S608
            f"SELECT {', '.join(select)} FROM articles_article p "
            "CROSS JOIN generate_series(0, %s) AS n WHERE p.id = %s",
            [[section.pk for section in sections], stories - 1, prototype.pk],
        )
        cursor.execute(
            "INSERT INTO taggit_tag (name, slug) "
            "SELECT 'bulk tag ' || n, 'bulk-tag-' || n FROM generate_series(0, 499) AS n"
        )
        # Tag n: 0-6 are on about 14,000 stories each, 7-99 on about 1,000, 100-499 on about 250.
        for expression in ("a.id %% 7", "7 + a.id %% 93", "100 + (a.id * 7919) %% 400"):
            cursor.execute(
                "INSERT INTO articles_taggedarticle (content_object_id, tag_id, publish_at) "  # noqa: S608
                f"SELECT a.id, t.id, a.publish_at FROM articles_article a "
                f"JOIN taggit_tag t ON t.slug = 'bulk-tag-' || ({expression}) "
                "WHERE a.slug LIKE 'bulk-story-%%' ON CONFLICT DO NOTHING",
                [],
            )
        # One story in five teases the next one: the fill's check of the host's teasers must
        # not read the whole teaser table.
        cursor.execute(
            "INSERT INTO articles_relatedteaser (article_id, target_id, url, headline, excerpt, "
            "excerpt_text, is_blocked, position, created_at) "
            "SELECT a.id, a.id + 1, '', '', '', '', false, 0, now() FROM articles_article a "
            "WHERE a.slug LIKE 'bulk-story-%%' AND a.id %% 5 = 0 "
            "AND EXISTS (SELECT 1 FROM articles_article b WHERE b.id = a.id + 1)",
            [],
        )
        cursor.execute(
            "ANALYZE articles_article, articles_taggedarticle, taggit_tag, articles_relatedteaser"
        )
    return sections
