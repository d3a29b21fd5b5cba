"""Querysets compiled once per process, then run with fresh values; and the connection whose
cursors let PostgreSQL keep a statement's plan.

Building and compiling a queryset is pure Python, and on the story page it cost far more than the
database did: about 15 ms of ORM work for 1-2 ms of SQL (bench/RESULTS.md). Every request asks the
same few questions with different values (the time, a slug, a story's tags), so each shape of
question is built once with marker values, compiled, and its compiler kept. Later calls put the
real values where the markers landed in the compiled parameters and hand the kept compiler to
Django's own iterator, which turns rows into model instances (``select_related`` and annotations
included) exactly as for an ordinary queryset; ``prefetch_related`` still runs as usual.

Only parameters are swapped, never SQL text, so the querysets keep the project's one visibility
rule (``live()``) and its other querysets: the prepared query is the same query. Values that
change the SQL's shape (a list's length, a missing section, a LIMIT) are part of the cache key.
A value the build function bakes into the SQL must be a true constant: the build function receives
everything else (content type ids included) as a parameter.

The story page (``articles/fastpath/``) and the fronts' backfill (``fronts/render.py``) use it; the
project package holds it because it knows nothing of either.
"""

import copy
import itertools
import re
import weakref
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql import base as postgresql
from django.db.backends.utils import CursorWrapper

_counter = itertools.count()


class PrepareError(Exception):
    """A value could not be traced to one parameter of the compiled query."""


def _marker(value):
    n = next(_counter)
    if isinstance(value, datetime):
        return datetime(1901, 1, 1, tzinfo=UTC) + timedelta(seconds=n, microseconds=7)
    if isinstance(value, bool):
        raise PrepareError("Booleans change a query's shape: pass them in fixed=.")
    if isinstance(value, int):
        return -(7_300_000_000 + n)
    if isinstance(value, str):
        return f"prepared-marker-{n}-a7c3"
    raise PrepareError(f"No marker for a {type(value).__name__}: pass it in fixed=.")


def _as_text(marker):
    """How a marker would read if the ORM had written it into the SQL."""
    if isinstance(marker, datetime):
        return marker.strftime("%Y-%m-%d %H:%M:%S")
    return str(marker).lstrip("-")


class _BoundQuery:
    """The prototype's ``Query``, except that its compiler is the kept one with new values."""

    def __init__(self, query, compiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


class _Compiled:
    def __init__(self, queryset, markers, connection):
        self.queryset = queryset
        # Per connection (a thread's own), dropped with it.
        self._converters = weakref.WeakKeyDictionary()
        self.compiler = queryset.query.get_compiler(connection=connection)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:
            # The ORM proved the query can match nothing (``none()``, an empty ``IN``).
            self.sql, params = None, ()
            markers = ()
        adapt = connection.ops.adapt_datetimefield_value
        # Each marker as Django may have put it into the parameters: adapted for a datetime column
        # (a string on SQLite), or as given.
        where = {}
        for name, index, marker in markers:
            where[marker] = (name, index, False)
            if isinstance(marker, datetime):
                where[adapt(marker)] = (name, index, True)
        self.slots = []
        found = set()
        for param in params:
            slot = where.get(param) if isinstance(param, (datetime, int, str)) else None
            self.slots.append(slot if slot is not None else ("", param, False))
            if slot is not None:
                found.add(slot[:2])
        # A value this shape does not use (a content type with no tags to match) is fine; one
        # written into the SQL text instead of a parameter would be reused wrongly, so it is refused.
        for name, index, marker in markers:
            if (name, index) not in found and _as_text(marker) in self.sql:
                raise PrepareError(f"{name} is written into the SQL, not passed as a parameter.")

    def converters_for(self, connection, get_converters):
        """``get_converters`` for a copy of the kept compiler, worked out once per connection.

        Each run reads the same columns, so their converters are the same; Django would otherwise
        ask every column's field for them again on every run.
        """

        def converters(expressions):
            found = self._converters.get(connection)
            if found is None:
                found = self._converters[connection] = get_converters(expressions)
            return found

        return converters

    def bind(self, values, connection):
        adapt = connection.ops.adapt_datetimefield_value
        params = []
        for name, index, adapted in self.slots:
            if not name:
                params.append(index)  # a constant of the query, kept as compiled
                continue
            value = values[name] if index is None else values[name][index]
            params.append(adapt(value) if adapted else value)
        return tuple(params)


# psycopg prepares a statement the n-th time its text runs on a connection (its default).
PREPARE_AFTER = 5


def _server_binds(connection):
    return connection.vendor == "postgresql" and settings.NEWSROOM_PREPARED_STATEMENTS


class _ServerBound:
    """The connection, except that its cursors send the values apart from the SQL (PostgreSQL).

    Django's cursors write the values into the SQL text, so PostgreSQL plans every query afresh;
    for the story page's queries planning took longer than running them (the related fill:
    2-3 ms to plan, under 1 ms to run), and for the fronts' backfill parsing and planning its
    dozen LIMIT subqueries did. With the values sent apart, psycopg prepares a statement the fifth
    time its text runs on a connection, and PostgreSQL keeps its plan.

    Django's own ``OPTIONS["server_side_binding"]`` with ``prepare_threshold`` was no faster on the
    story page (bench/RESULTS.md, 2 December 2026), and it server-binds and prepares every query:
    search, planned once for any words, spent 8 times as long in SQL. Hence this wrapper, for the
    prepared queries alone (``bound``).
    """

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def cursor(self):
        """As ``connection.cursor()`` (the same checks, wrapping and query log), server-bound."""
        connection = self._connection
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.wrap_database_errors:
            # Django turns psycopg's prepared statements off for each connection (for poolers
            # in transaction mode, which settings.NEWSROOM_PREPARED_STATEMENTS is for); its own
            # cursors write values into the SQL and are never prepared, so this affects only these.
            connection.connection.prepare_threshold = PREPARE_AFTER
            cursor = postgresql.ServerBindingCursor(connection.connection)
            # As in DatabaseWrapper.create_cursor: timestamps in the connection's time zone.
            loader = connection.connection.adapters.get_loader(
                postgresql.TIMESTAMPTZ_OID, postgresql.Format.TEXT
            )
            if connection.timezone != loader.timezone:
                postgresql.register_tzloader(connection.timezone, cursor)
            connection.validate_thread_sharing()
            if connection.queries_logged:
                return _LoggedWithValues(cursor, connection)
            return connection.make_cursor(cursor)


def bound(connection):
    """``connection``, or on PostgreSQL with ``NEWSROOM_PREPARED_STATEMENTS`` the same connection
    whose cursors send the values apart from the SQL, so that a statement run often is prepared
    and keeps its plan (``_ServerBound``)."""
    return _ServerBound(connection) if _server_binds(connection) else connection


_PLACEHOLDER = re.compile(r"%%|%s")


def literal(value):
    """``value`` as an SQL literal both databases read alike: an integer, or a string quoted in
    the standard way (its percent signs doubled, as in any SQL text Django's cursors format)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, str) and "\x00" not in value:
        return "'" + value.replace("'", "''").replace("%", "%%") + "'"
    raise PrepareError(f"No SQL literal for a {type(value).__name__}.")


def write_in(sql, params, constant):
    """``sql`` with each parameter ``constant(value)`` picks written into its text as a literal,
    and the parameters left.

    A prepared statement keeps one plan for any values (``plan_cache_mode=force_generic_plan``):
    the planner cannot tell that ``status = $1`` is ``status = 'published'``, so a partial index on
    published stories is out of its reach and it walks another index, filtering (the fronts'
    backfill: 12 ms instead of 0.9). Written in, the query's own constants keep those indexes
    usable. Only ever for constants of the query, never for a value that changes from call to
    call: each text is a statement of its own.
    """
    params = list(params)
    kept, position = [], 0

    def placeholder(match):
        nonlocal position
        if match.group() == "%%":
            return "%%"
        value = params[position]
        position += 1
        if constant(value):
            return literal(value)
        kept.append(value)
        return "%s"

    written = _PLACEHOLDER.sub(placeholder, sql)
    if position != len(params):
        raise PrepareError("The SQL's placeholders and its parameters do not match.")
    return written, tuple(kept)


class _LoggedWithValues(postgresql.CursorDebugWrapper):
    """Logs each statement with its values written in, as Django's own cursors do, so that a
    logged query (the debug log, ``connection.queries``, EXPLAIN in tests) can be run again."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


class PreparedQuery:
    """``build(**values)`` returns a queryset; ``run(**values)`` returns its rows as a list.

    Each value is a datetime, int or string, or a list of them, and becomes a query parameter.
    ``fixed`` holds values that shape the SQL itself (LIMITs, flags); None values also shape it.
    """

    def __init__(self, build):
        self.build = build
        self._compiled = {}

    def run(self, *, using=DEFAULT_DB_ALIAS, fixed=None, **values):
        fixed = fixed or {}
        shape = tuple(
            (name, len(value) if isinstance(value, (list, tuple)) else value is None)
            for name, value in sorted(values.items())
        )
        key = (using, tuple(sorted(fixed.items())), shape)
        connection = connections[using]
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(connection, fixed, values)
        if compiled.sql is None:
            return []
        compiler = copy.copy(compiled.compiler)
        compiler.connection = bound(connection)
        params = compiled.bind(values, connection)
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        compiler.get_converters = compiled.converters_for(connection, compiler.get_converters)
        prototype = compiled.queryset
        queryset = prototype.__class__(
            model=prototype.model,
            query=_BoundQuery(prototype.query, compiler),
            using=using,
            hints=prototype._hints,
        )
        queryset._prefetch_related_lookups = prototype._prefetch_related_lookups
        queryset._iterable_class = prototype._iterable_class
        queryset._fields = prototype._fields
        return list(queryset)

    def _compile(self, connection, fixed, values):
        markers, marked = [], {}
        for name, value in values.items():
            if value is None:
                marked[name] = None
            elif isinstance(value, (list, tuple)):
                marked[name] = [_marker(item) for item in value]
                markers += [(name, i, m) for i, m in enumerate(marked[name])]
            else:
                marked[name] = _marker(value)
                markers.append((name, None, marked[name]))
        return _Compiled(self.build(**fixed, **marked), markers, connection)
