"""Make the database itself refuse some writes, to test that a batch survives one bad row.

Real database errors (not patched Python) also check that each row's savepoint rolls back
cleanly on PostgreSQL, where an error aborts the whole transaction otherwise.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def _refuse() -> None:
    raise RuntimeError("refused by the test")


@contextmanager
def refused_writes(table: str, *, where: str, on: str = "INSERT") -> Iterator[None]:
    """Refuse every `on` (INSERT or UPDATE) into `table` whose NEW row matches `where`."""
    assert on in ("INSERT", "UPDATE")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A table with deferred foreign-key checks pending cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "CREATE FUNCTION entraide_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER entraide_refuse BEFORE {on} ON {table} FOR EACH ROW "
                f"WHEN ({where}) EXECUTE FUNCTION entraide_refuse()"
            )
            try:
                yield
            finally:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"DROP TRIGGER entraide_refuse ON {table}")
                cursor.execute("DROP FUNCTION entraide_refuse()")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # Not RAISE(ABORT), which SQLite reports as a constraint (IntegrityError: the
            # outbox would take it for a duplicate): a function that fails, as a server would.
            connection.ensure_connection()
            connection.connection.create_function("entraide_refuse", 0, _refuse)
            cursor.execute(
                f"CREATE TRIGGER entraide_refuse BEFORE {on} ON {table} WHEN {where} "
                "BEGIN SELECT entraide_refuse(); END"
            )
            try:
                yield
            finally:
                cursor.execute("DROP TRIGGER entraide_refuse")
