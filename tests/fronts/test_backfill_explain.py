"""The curated home's backfill walks indexes on PostgreSQL with a newsroom-sized archive
(100,000 stories): each zone's share stops after its LIMIT, whatever the size of its section or
tag; nothing reads the stories' table whole or sorts a whole section or tag."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from bench.home_front import build_curated_home
from fronts.models import Front
from fronts.render import front_index, shown_zones
from tests.bulk import seed_corpus
from tests.explain import explain, plan_nodes

STORIES = 100_000
# The most rows any step may touch: the longest share walks a few hundred index entries (its
# LIMIT, plus the drafts, withdrawn and scheduled stories it steps over); a section holds 5,000
# stories and the common tag 14,000.
MAX_ROWS_PER_STEP = 1_000
# A sort may order the candidates (a few hundred at most), never a section or a tag.
MAX_SORTED_ROWS = 300

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN plans are PostgreSQL's; SQLite has no comparable planner output",
)


@pytest.mark.django_db
def test_the_curated_home_s_backfill_walks_indexes_at_100k_stories():
    sections = seed_corpus(STORIES, featured_every=500)
    common = Tag.objects.get(slug="bulk-tag-3")  # on about 14,000 stories
    home = build_curated_home(sections=sections[:4], tag=common)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE fronts_zone, fronts_pick")
    zones = list(home.zones.select_related("front", "backfill_section", "backfill_tag"))
    front_index()  # the zones and the picks, kept for the generation

    with CaptureQueriesContext(connection) as captured:
        shown = shown_zones(zones, timezone.now())

    # The candidates of every zone's backfill, and the stories chosen among them.
    assert len(captured.captured_queries) == 2
    assert [len(entry.every_card) for entry in shown] == [3, 8, 5, 4, 4, 5, 4, 4]
    # The featured-only zone found featured stories deep in the archive: one in 500.
    assert all(card.article.is_featured for card in shown[6].cards)
    for query in captured.captured_queries:
        nodes = list(plan_nodes(explain(query["sql"])))
        scanned = {node["Relation Name"] for node in nodes if node["Node Type"] == "Seq Scan"}
        assert not scanned & {"articles_article", "articles_taggedarticle"}, query["sql"]
        sorted_rows = [node["Actual Rows"] for node in nodes if node["Node Type"] == "Sort"]
        assert all(rows <= MAX_SORTED_ROWS for rows in sorted_rows), sorted_rows
        busiest = max(node["Actual Rows"] * node["Actual Loops"] for node in nodes)
        assert busiest <= MAX_ROWS_PER_STEP, query["sql"]
    assert Front.objects.get(kind="home") == home
