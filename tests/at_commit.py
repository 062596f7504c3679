"""A pytest plugin: the fast suite's database tests, each committed, on PostgreSQL.

`make test-postgres-services` (scripts/services_on_postgres.py) loads it with `-p tests.at_commit`.
In the fast suite a test's writes are rolled back, never committed, so PostgreSQL's deferred
rules (the ledger's balance and shape, a decision that follows its votes: sroi migration 0009,
governance migrations 0020 and 0021) never see them. Here every test that uses the database is a
transactional test: its writes are committed as the services commit them, the rules run, and
the database is emptied afterwards and its migrated rows put back (`serialized_rollback`). A
service that writes what the database refuses then fails its own tests.

A test marked `rolled_back_only` takes a shortcut the database refuses on purpose (a vote
written after the close, ledger rows without entries, a shift's clock moved by SQL), or counts
on work done after commit not having run; it is left out here, with that reason.
"""

import pytest


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
