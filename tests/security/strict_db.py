"""PostgreSQL's rule for NUL characters, on any database.

SQLite stores a NUL inside a text parameter; PostgreSQL refuses it with a DataError, which a view
that let it through answers with a 500. Inside ``postgresql_rules()`` every query on the default
connection is refused the same way, so a test on SQLite finds what would fail in production.
"""

import contextlib

from django.db import DataError, connection


def _refuse_nul(execute, sql, params, many, context):
    rows = params if many else [params]
    for row in rows or ():
        values = row.values() if isinstance(row, dict) else row or ()
        if any(isinstance(value, str) and "\x00" in value for value in values):
            raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return execute(sql, params, many, context)


@contextlib.contextmanager
def postgresql_rules():
    with connection.execute_wrapper(_refuse_nul):
        yield
