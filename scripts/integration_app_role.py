"""A pytest plugin: the integration tests do their own database work as a role that owns nothing.

    make test-integration-app-role     # CI runs it too; it does this:
    INTEGRATION_APP_ROLE=bk_app_suite PYTHONPATH=scripts \
        .venv/bin/python scripts/integration.py -p integration_app_role \
        -k "not test_app_role and not written_by_one_statement"

After the test database is made (as its owner), every connection of the tests switches to the
role `bk_app_suite`, granted by `security.database.grant_app_role` as `DATABASE_APP_ROLE` would
be: the application's code in the tests reads and writes with it, so a feature that needs more
than rows (DDL, TRUNCATE, a trigger switched off) fails here. The flush between transactional
tests is the test machinery's, so it runs as the owner. Left out by `-k`: test_app_role.py makes
roles itself, and one test of test_sealed_ballots.py adds a trigger on purpose.

`INTEGRATION_APP_ROLE` makes scripts/integration.py create that role with LOGIN, have migrate
grant it (as `DATABASE_APP_ROLE` does) and start the Celery worker logged in as it; the web
processes, second worker and beat of test_many_machines.py log in as it too. So the worker's
tasks (reports, notifications, the beat's schedule) run with a role that owns nothing.
"""

import pytest
from django.core.management.commands import flush
from django.db import connection
from django.db.backends.signals import connection_created

ROLE = "bk_app_suite"
_on = {"value": False}


def _switch(sender, connection, **kwargs) -> None:
    if _on["value"] and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {ROLE}")


_flush = flush.Command.handle


def _flush_as_owner(self, *args, **options):
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        return _flush(self, *args, **options)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {ROLE}")


@pytest.fixture(scope="session", autouse=True)
def _as_app_role(django_db_setup, django_db_blocker):
    # pytest loads this plugin before the project folder is on the path: the app's code later
    from security.database import grant_app_role  # noqa: PLC0415 - loaded before the project

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
    with django_db_blocker.unblock():
        grant_app_role(ROLE)
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {ROLE}")
    _on["value"] = True
    connection_created.connect(_switch)
    flush.Command.handle = _flush_as_owner
    yield
    flush.Command.handle = _flush
    connection_created.disconnect(_switch)
    _on["value"] = False
