"""The strip's queries use indexes on PostgreSQL with a newsroom-sized corpus (100,000 stories)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.story_page import related_strip
from tests.bulk import seed_corpus
from tests.explain import explain, plan_nodes
from tests.factories import make_article, make_teaser

STORIES = 100_000
MAX_ROWS_PER_STEP = 5_000

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN plans are PostgreSQL's; SQLite has no comparable planner output",
)


@pytest.mark.django_db
def test_strip_queries_use_indexes_at_100k_stories():
    sections = seed_corpus(STORIES)
    host = make_article(
        headline="Host", section=sections[3], tags=["bulk tag 2", "bulk tag 40", "bulk tag 321"]
    )
    make_teaser(article=host, target=Article.objects.live().filter(section=sections[5]).first())
    # The fill's two best picks, one ended as a teaser and one blocked, are left out.
    unfilled = [
        teaser.target for teaser in related_strip(Article.objects.for_detail().get(pk=host.pk))[1:]
    ]
    make_teaser(article=host, target=unfilled[0], ends_at=timezone.now() - timedelta(hours=1))
    make_teaser(article=host, target=unfilled[1], is_blocked=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_relatedteaser")
    host = Article.objects.for_detail().get(pk=host.pk)

    with CaptureQueriesContext(connection) as captured:
        strip = related_strip(host)

    assert len(captured.captured_queries) == 2
    assert len(strip) == 3
    assert all(teaser.target.is_live() for teaser in strip)
    assert not {teaser.target for teaser in strip} & set(unfilled)
    for plan in (explain(q["sql"]) for q in captured.captured_queries):
        nodes = list(plan_nodes(plan))
        scanned = {node["Relation Name"] for node in nodes if node["Node Type"] == "Seq Scan"}
        tables = {"articles_article", "articles_taggedarticle", "articles_relatedteaser"}
        assert not scanned & tables, plan
        # Bounded work: no step reads a whole common tag (about 14,000 links) or the table.
        busiest = max(node["Actual Rows"] * node["Actual Loops"] for node in nodes)
        assert busiest <= MAX_ROWS_PER_STEP, plan
