"""A few statements PostgreSQL plans once per connection instead of at every run.

Django with psycopg2 sends every statement as text, and PostgreSQL parses and plans it each
time. For the statements every vote runs (the signed-in user with their roles, the ballot's
proposal with what it knows of the voter, the ballot's and the participation's INSERTs) planning
was half of the database's work: 0.95 ms of PostgreSQL CPU per vote, 0.48 ms prepared (in-process,
600 votes). A statement composed once per process is registered here (`register`); the first
time a connection runs it, PostgreSQL gets `PREPARE bk_prepared_N AS …` (the statement with
$1, $2, …; no values) and then `EXECUTE bk_prepared_N(…)`, after that only the EXECUTE.

The rewriting happens in the driver's cursor (`Cursor`, psycopg2's `cursor_factory`, set in
config/settings.py), below Django: its execute wrappers (the page cache's watch on writes) get
the statement's own text, and so do its query log and tests that capture queries (the cursor's
`query` is the statement with its values, not the EXECUTE). A prepared statement
outlives a rolled-back transaction (PostgreSQL's rule), so one failed run changes nothing for
the next; a PREPARE that failed is tried again, under a new name, the next time.

Why not for every statement: psycopg 3's server-side binding refuses the two statements in one
call that django-pgtrigger sends, and a statement the database sees once gains nothing. Behind a
connection pooler in transaction mode (PgBouncer) a prepared statement may sit on another server
connection: set DATABASE_PREPARED_STATEMENTS=0 there.
"""

import itertools
import re
import weakref

from psycopg2.extensions import cursor as _DriverCursor

_registered: set[str] = set()
# Per driver connection: statement text -> its prepared name there. Weak: a closed connection
# (CONN_MAX_AGE) takes its names with it.
_names: "weakref.WeakKeyDictionary[object, dict[str, str]]" = weakref.WeakKeyDictionary()
_numbers = itertools.count(1)
_PLACEHOLDER = re.compile(r"%[s%]")


def register(sql: str) -> str:
    """Prepare `sql` (with Django's %s placeholders, no named ones) on every connection that
    runs it; returns `sql`."""
    if "%(" in sql:
        raise ValueError("A prepared statement takes positional %s parameters only.")
    _registered.add(sql)
    return sql


def is_registered(sql: str) -> bool:
    return sql in _registered


def numbered(sql: str) -> str:
    """`sql` as PREPARE takes it: Django's %s placeholders as PostgreSQL's $1, $2, …, and a
    literal %% as % (the PREPARE goes without values, so the driver formats nothing)."""
    count = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else f"${next(count)}", sql)


class Cursor(_DriverCursor):
    """psycopg2's cursor, running registered statements as prepared ones.

    Its `query` (what Django's query log and `CaptureQueriesContext` show) is the statement
    itself with its values, not the PREPARE or EXECUTE that was sent."""

    _shown = None  # (statement, values) of the last run, when it went prepared

    @property
    def query(self):
        if self._shown is None:
            return _DriverCursor.query.__get__(self)
        return self.mogrify(*self._shown)

    def execute(self, query, vars=None):  # noqa: A002 - psycopg2's own parameter name
        self._shown = None
        if self.name is not None or not isinstance(query, str) or query not in _registered:
            return super().execute(query, vars)
        vars = tuple(vars or ())
        self._shown = (query, vars)
        arguments = f"({', '.join(['%s'] * len(vars))})" if vars else ""
        names = _names.setdefault(self.connection, {})
        name = names.get(query)
        if name is not None:
            return super().execute(f"EXECUTE {name}{arguments}", vars)
        name = f"bk_prepared_{next(_numbers)}"
        # On its own, without values: PostgreSQL keeps the text that prepared a statement
        # (pg_prepared_statements), and it must not hold a voter's values.
        super().execute(f"PREPARE {name} AS {numbered(query)}")
        names[query] = name
        return super().execute(f"EXECUTE {name}{arguments}", vars)
