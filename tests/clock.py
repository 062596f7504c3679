"""Closing time in a test: Python's clock set with `freeze_time`, and the database's clock rules
lifted for as long, on PostgreSQL.

A test closes a vote or computes a budget round at its closing time with `freeze_time`, which
PostgreSQL's clock does not follow; the database closes, decides and computes only after the
closing time by its own clock (governance migration 0031, budgeting 0013), and takes votes only
inside the window (0030, 0012). `at_closing(moment)` sets the clock and, on PostgreSQL, lifts
those rules (each app's `demo.WINDOW_RULES`) for the block, as `seed_demo` lifts them while the
demo tells the past (common/story.py), as the tables' owner; on SQLite (`make test`) it is
`freeze_time` alone. Rules already lifted (a test marked `travels_in_time`) stay as they are.
`wait_until(moment)` waits a short real window out instead. The rules themselves are tried with
the real clock in tests/integration/test_vote_window.py,
test_budget_window.py and test_closing_time.py.
"""

import time
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from tests.owner import as_the_owner


@contextmanager
def at_closing(moment, **kwargs):
    """`freeze_time(moment, **kwargs)`, with the database's clock rules lifted on PostgreSQL."""
    with freeze_time(moment, **kwargs), _clock_rules_lifted():
        yield


def wait_until(moment, *, margin: float = 0.2) -> None:
    """Sleep until `moment` has passed by the real clock (a window of a few seconds that a test
    waits out: the database's clock rules stay on)."""
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + margin)


@contextmanager
def _clock_rules_lifted():
    if connection.vendor != "postgresql":
        yield
        return
    from common.story import past_told, trigger_id, window_rules  # noqa: PLC0415 - apps loaded

    rules = window_rules()
    pgids = [trigger_id(model, name) for model, name in rules]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s) AND tgenabled = 'D'", [pgids]
        )
        lifted = cursor.fetchone()[0] == len(pgids)
    if lifted:
        yield
        return
    with as_the_owner(), past_told(rules):
        yield
