"""A few related rows folded into their parent's query as one JSON array.

The story page needs the story's tags and corrections: a handful of short rows each. Fetching them
as a correlated subquery in the story's own query saves two round trips per page. SQLite and
PostgreSQL spell the aggregate differently; the rest is the ORM.
"""

from datetime import UTC

from django.db.models import Aggregate, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_datetime


class JSONGroupArray(Aggregate):
    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_rows(queryset, link_field, **fields):
    """A subquery giving, for each outer row, the JSON list of ``fields`` of the rows of
    ``queryset`` whose ``link_field`` points at it (NULL when there are none)."""
    rows = (
        queryset.filter(**{link_field: OuterRef("pk")})
        .order_by()
        .values(link_field)
        .annotate(rows=JSONGroupArray(JSONObject(**fields)))
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


def parse_db_datetime(value):
    """A datetime that went through JSON: an ISO string, naive UTC on SQLite."""
    moment = parse_datetime(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
