"""A pytest plugin: the fast suite's database tests, each committed, on PostgreSQL.

`make test-postgres-services` (scripts/services_on_postgres.py) loads it with `-p tests.at_commit`.
In the fast suite a test's writes are rolled back, never committed, so PostgreSQL's deferred
rules (the ledger's balance and shape, a decision that follows its votes: sroi migration 0009,
governance migrations 0020 and 0021) never see them. Here every test that uses the database is a
transactional test: its writes are committed as the services commit them, the rules run, and
the database is emptied afterwards and its migrated rows put back (`serialized_rollback`). A
service that writes what the database refuses then fails its own tests.

Putting the migrated rows back is Django's `deserialize_db_from_string`: some 700 objects saved
one by one, two statements each, 1.2 s before every test (three quarters of this suite's time).
Here the rows are copied out of the database once, table by table, before the first test, and
copied back with one COPY per table (`_Snapshot`): the same rows, the same ids. And Django
empties the database with one TRUNCATE of all its tables, which makes new files for each table
and index (0.3 s); here it deletes their rows instead (`_sql_flush`), with the triggers off as
TRUNCATE has them off: a ledger row's guard against DELETE guards the product, not the tests'
clean-up.

A test marked `travels_in_time` votes at a moment set with `freeze_time`, which PostgreSQL's
clock does not follow; the database takes a vote only inside its window by its own clock
(governance migration 0030, budgeting 0012), and closes, decides and computes only after the
closing time (0031, 0013). A test that only closes or computes at a moment set that way uses
`tests.clock.at_closing`, which lifts the same rules for that block alone. It runs here with those rules off, as `seed_demo`
tells the demo's past (`common.story`), and on again after it; the rules themselves are tried
in `tests/integration/test_vote_window.py` and `test_budget_window.py`.

A test marked `rolled_back_only` takes a shortcut the database refuses on purpose (a vote
written after the close, ledger rows without entries, a shift's clock moved by SQL), counts
on work done after commit not having run, or is about SQLite (its search); it is left out here,
with that reason.
"""

import io

import pytest


@pytest.fixture(autouse=True)
def _window_rules_off_while_travelling_in_time(request):
    """For a test marked `travels_in_time`: the votes' window rules off, committed, until it
    ends (before the database is emptied for the next test)."""
    if request.node.get_closest_marker("travels_in_time") is None:
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from common.story import switch, window_rules

    rules = window_rules()
    with connection.cursor() as cursor:
        switch(cursor, rules, on=False)
    yield
    with connection.cursor() as cursor:
        switch(cursor, rules, on=True)


def pytest_collection_modifyitems(config, items):
    kept, left_out = [], []
    for item in items:
        if item.get_closest_marker("rolled_back_only"):
            left_out.append(item)
            continue
        marker = item.get_closest_marker("django_db")
        if marker is None and "db" in getattr(item, "fixturenames", ()):
            marker = pytest.mark.django_db.mark  # the database only through the `db` fixture
        if marker is not None:
            kwargs = {**marker.kwargs, "transaction": True, "serialized_rollback": True}
            # First among the item's own markers: a test's own `@pytest.mark.django_db` would
            # otherwise be the closest and win.
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
        kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


class _Snapshot:
    """The migrated rows of every table Django flushes, as PostgreSQL's COPY gives them.

    Taken at the first restore: before the first transactional test the database holds exactly
    what the migrations wrote (every database test is transactional here, so nothing before it
    wrote and kept). A later restore follows Django's flush, which emptied these tables."""

    def __init__(self):
        self.tables: dict[str, str] | None = None

    def restore(self, creation, data):
        connection = creation.connection
        if connection.vendor != "postgresql":
            return _deserialize(creation, data)
        connection.ensure_connection()
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor  # the driver's own cursor: COPY goes past Django's wrappers
            if self.tables is None:
                self.tables = self._take(connection, cursor)
                return None  # the rows are there: the snapshot was just taken of them
            quote = connection.ops.quote_name
            # The rows were valid when the migrations wrote them; put back in any order, so
            # without the triggers that check references and rules row by row (superuser only:
            # the suite's throwaway PostgreSQL runs as one).
            cursor.execute("SET session_replication_role = replica")
            try:
                for table, rows in self.tables.items():
                    cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.StringIO(rows))
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
        return None

    @staticmethod
    def _take(connection, cursor):
        quote = connection.ops.quote_name
        tables = {}
        for table in sorted(
            connection.introspection.django_table_names(only_existing=True, include_views=False)
        ):
            buffer = io.StringIO()
            cursor.copy_expert(f"COPY {quote(table)} TO STDOUT", buffer)
            if buffer.tell():
                tables[table] = buffer.getvalue()
        return tables


def _sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """PostgreSQL's flush as DELETEs in one statement, without triggers (references and the
    tables' own guards), for this transaction only."""
    if not tables or reset_sequences:
        return _truncate(self, style, tables, reset_sequences=reset_sequences,
                         allow_cascade=allow_cascade)  # fmt: skip
    # The names are the tables Django flushes, quoted by the backend.
    deletes = " ".join(f"DELETE FROM {self.quote_name(table)};" for table in tables)  # noqa: S608
    return [f"SET LOCAL session_replication_role = replica; {deletes}"]


_deserialize = None
_truncate = None


def pytest_configure(config):
    global _deserialize, _truncate
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.backends.postgresql.operations import DatabaseOperations

    _truncate = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = _sql_flush

    _deserialize = BaseDatabaseCreation.deserialize_db_from_string
    snapshot = _Snapshot()

    def deserialize_db_from_string(creation, data):
        return snapshot.restore(creation, data)

    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
