"""Loading many rows into PostgreSQL quickly: COPY, with the tables' secondary indexes, unique and
foreign-key constraints and triggers set aside during the load and rebuilt once at the end.

Building an index over a million rows once costs far less than updating it a million times, and a
foreign key is checked in one join instead of row by row. What was set aside is written down in a
table (``seed_bench_deferred``) in the same transaction that drops it, so a load that is
interrupted can be resumed and still ends with exactly the schema the migrations made.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction

DEFERRED = "seed_bench_deferred"

# (how to drop it, how to rebuild it) for each kind, in the order they are rebuilt (the slowest
# build, a GIN index, first). Primary keys stay: the load's own duplicate check, and what other
# tables' foreign keys point at.
_SET_ASIDE = [
    # Indexes that no constraint owns.
    """
    SELECT format('DROP INDEX %%s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
        SELECT FROM pg_constraint c
        WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')
    )
    ORDER BY pg_get_indexdef(i.indexrelid) LIKE '%% USING gin %%' DESC, 2
    """,
    # Unique constraints, then foreign keys (checked once, when they are added back).
    """
    SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),
           format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,
                  pg_get_constraintdef(oid))
    FROM pg_constraint
    WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')
    ORDER BY contype DESC, 2
    """,
    # Triggers of the application (e.g. the search vector's), not the constraints' own.
    """
    SELECT format('DROP TRIGGER %%I ON %%s', tgname, tgrelid::regclass), pg_get_triggerdef(oid)
    FROM pg_trigger
    WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal
    ORDER BY 2
    """,
]


def _has_deferred(cursor):
    cursor.execute("SELECT to_regclass(%s)", [DEFERRED])
    return cursor.fetchone()[0] is not None


@transaction.atomic
def set_aside(tables):
    """Drop the secondary indexes, constraints and triggers of ``tables``, remembering them.

    Does nothing if an interrupted load already did (its record is still there).
    """
    with connection.cursor() as cursor:
        if _has_deferred(cursor):
            return
        # Pending deferred foreign-key checks would forbid altering the tables.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"CREATE TABLE {DEFERRED} (position serial PRIMARY KEY, rebuild text NOT NULL)"
        )
        drops = []
        for query in _SET_ASIDE:
            cursor.execute(query, [list(tables)])
            for drop, rebuild in cursor.fetchall():
                drops.append(drop)
                cursor.execute(f"INSERT INTO {DEFERRED} (rebuild) VALUES (%s)", [rebuild])  # noqa: S608
        for drop in reversed(drops):
            cursor.execute(drop)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def rebuild(*, workers=2, session=()):
    """Build back what ``set_aside`` dropped, and forget the record.

    Outside a transaction, ``workers`` connections share the work (running ``session``, e.g.
    SET statements, first), each statement committed with the removal of its record, so that an
    interrupted rebuild resumes where it stopped. Inside one (a test), all runs in it, in order.
    """
    with connection.cursor() as cursor:
        if not _has_deferred(cursor):
            return
        cursor.execute(f"SELECT position, rebuild FROM {DEFERRED} ORDER BY position")  # noqa: S608
        pending = cursor.fetchall()
        if connection.in_atomic_block:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _, statement in pending:
                cursor.execute(statement)
            cursor.execute(f"DROP TABLE {DEFERRED}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
    queue = iter(pending)
    lock = threading.Lock()

    def work():
        # A thread of its own has a connection of its own.
        try:
            with connection.cursor() as cursor:
                for statement in session:
                    cursor.execute(statement)
            while True:
                with lock:
                    position, statement = next(queue, (None, None))
                if statement is None:
                    return
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(statement)
                    cursor.execute(f"DELETE FROM {DEFERRED} WHERE position = %s", [position])  # noqa: S608
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done in [pool.submit(work) for _ in range(workers)]:
            done.result()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {DEFERRED}")


def copy_rows(cursor, table, columns, rows):
    """COPY ``rows`` (tuples in the order of ``columns``) into ``table``."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
