"""The author page's list reads that author's bylines newest first and stops after a page, on
PostgreSQL with a newsroom-sized archive: its work does not grow with the stories of other authors."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Byline
from articles.pagination import make_cursor
from authors.models import Author
from tests.explain import explain, plan_nodes
from tests.factories import make_article, make_section

STORIES = 30_000
AUTHORS = 300
# A page of 20 (and one more, to know there is a next page) costs a few index pages and a heap
# page per story; walking the archive's newest-first index for one author's stories, thousands.
# Near the end of an author's list the planner may fetch the few remaining bylines and sort them.
MAX_BUFFERS = 250
MAX_ROWS_PER_STEP = 60

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN plans are PostgreSQL's; SQLite has no comparable planner output",
)


def _seed_archive():
    """30k stories by 300 authors: each has a byline of author n % 300, one in three a second.

    One INSERT ... SELECT copies a prototype saved through the ORM, so every column gets a valid
    value, in about a second; the bylines' copy of publish_at is taken from the stories.
    """
    section = make_section(name="Bulk desk")
    prototype = make_article(headline="Prototype", slug="bulk-prototype", section=section)
    Author.objects.bulk_create(
        Author(name=f"Bulk author {n}", slug=f"bulk-author-{n}") for n in range(AUTHORS)
    )
    varying = {
        "headline": "'Bulk story ' || n",
        "slug": "'bulk-story-' || n",
        # One in ten a draft, one in ten withdrawn, one in fifty scheduled for tomorrow.
        "status": "CASE n %% 10 WHEN 8 THEN 'draft' WHEN 9 THEN 'withdrawn' ELSE 'published' END",
        "publish_at": "now() - n * interval '1 minute'"
        " + CASE WHEN n %% 50 = 0 THEN interval '1 day' ELSE interval '0' END",
    }
    columns = [f.column for f in Article._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    select = [varying.get(column, f"p.{quote(column)}") for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO articles_article ({', '.join(map(quote, columns))}) "  # noqa: S608
            f"SELECT {', '.join(select)} FROM articles_article p "
            "CROSS JOIN generate_series(0, %s) AS n WHERE p.id = %s",
            [STORIES - 1, prototype.pk],
        )
        for author, position, where in (
            ("a.id %% 300", 0, "TRUE"),
            ("(a.id * 7 + 1) %% 300", 1, "a.id %% 3 = 0"),
        ):
            cursor.execute(
                "INSERT INTO articles_byline "  # noqa: S608
                "(article_id, author_id, role, position, bio_snapshot, publish_at) "
                f"SELECT a.id, au.id, 'reporter', {position}, '', a.publish_at "
                "FROM articles_article a JOIN authors_author au "
                f"ON au.slug = 'bulk-author-' || ({author}) "
                f"WHERE a.slug LIKE 'bulk-story-%%' AND {where} ON CONFLICT DO NOTHING",
                [],
            )
        cursor.execute("ANALYZE articles_article, articles_byline, authors_author")


def _list_query(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    (query,) = [q["sql"] for q in captured.captured_queries if "articles_byline" in q["sql"]]
    return response, query


@pytest.mark.django_db
def test_author_page_walks_the_authors_bylines_and_stops_after_a_page(client, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    _seed_archive()
    # Bylines follow the story id (id % 300) and status the story's number (n % 10), so which
    # authors have live stories depends on where the id sequence stood: take the busiest.
    live = Article.objects.live().values("pk")
    author = (
        Author.objects.filter(slug__startswith="bulk-author-")
        .annotate(live=Count("bylines", filter=Q(bylines__article__in=live)))
        .order_by("-live", "slug")
        .first()
    )
    stories = Article.objects.live().filter(bylines__author=author).newest_first()
    assert stories.count() > 80  # several pages, among 30,000 stories
    deep = list(stories)[int(stories.count() * 0.8)]

    for url in (
        author.get_absolute_url(),
        f"{author.get_absolute_url()}?before={make_cursor(deep)}",
    ):
        response, query = _list_query(client, url)
        page = list(response.context["page"])
        assert page and all(story.is_live() for story in page)
        assert all(Byline.objects.filter(article=story, author=author).exists() for story in page)

        plan = explain(query)
        nodes = list(plan_nodes(plan))
        indexes = {node.get("Index Name") for node in nodes}
        assert "byline_author_published_idx" in indexes, plan
        scanned = {node["Relation Name"] for node in nodes if node["Node Type"] == "Seq Scan"}
        assert not scanned & {"articles_article", "articles_byline"}, plan
        busiest = max(node["Actual Rows"] * node["Actual Loops"] for node in nodes)
        assert busiest <= MAX_ROWS_PER_STEP, plan
        buffers = plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
        assert buffers <= MAX_BUFFERS, plan
