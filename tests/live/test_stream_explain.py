"""On PostgreSQL, the live page's one stream query walks the stream index at 10,000 entries:
each share (the pinned entry, the key events, the page, the newest) stops after its LIMIT, and
the entries table is never read whole, on the first page or deep in the stream."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from live.models import Entry
from live.stream import stream_for
from tests.explain import explain, plan_nodes
from tests.live.bulk import long_story

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN plans are PostgreSQL's; SQLite has no comparable planner output",
)
# The most index entries any step may touch: a page and its one extra row, the key events'
# LIMIT, a few rows of the other stories interleaved in the index.
MAX_ROWS_PER_STEP = 200


@pytest.mark.django_db
@pytest.mark.parametrize("deep", [False, True], ids=["first page", "deep page"])
def test_the_stream_query_walks_the_stream_index_at_10000_entries(deep):
    story = long_story(10_000)
    # Another story as long, its entries interleaved in time with the first one's.
    long_story(10_000, headline="Another story")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE live_entry")
    before = None
    if deep:
        before = Entry.objects.filter(article=story).order_by("publish_at")[5_000].pk
    with CaptureQueriesContext(connection) as captured:
        stream = stream_for(story, at=timezone.now(), before=before)
    assert len(captured.captured_queries) == 1
    assert stream.pinned is not None and len(stream.entries) > 0
    nodes = list(plan_nodes(explain(captured.captured_queries[0]["sql"])))
    scanned = {node["Relation Name"] for node in nodes if node["Node Type"] == "Seq Scan"}
    assert "live_entry" not in scanned
    indexes = {node.get("Index Name") for node in nodes}
    assert "entry_stream_idx" in indexes
    busiest = max(
        (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
        for node in nodes
    )
    assert busiest <= MAX_ROWS_PER_STEP, [
        (node["Node Type"], node.get("Index Name"), node["Actual Rows"]) for node in nodes
    ]
