"""PostgreSQL plans for the EXPLAIN tests: one query's plan, and every node in it."""

import json

from django.db import connection


def explain(sql):
    """The root node of ``EXPLAIN (ANALYZE, BUFFERS)`` for ``sql``, as a dict."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def plan_nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)
