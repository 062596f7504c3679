"""Under `make test-integration-app-role` the Celery worker logs in as the role that owns nothing.

scripts/integration.py starts it so when INTEGRATION_APP_ROLE is set (and gives the URL to the
tests as INTEGRATION_APP_DATABASE_URL); the other tests then run the worker's tasks with that
role's rights only. This checks that it really is that role, not the owner: PostgreSQL logs
every new connection there (`log_connections`), and Celery opens one for each task.
"""

import os
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app

from .conftest import wait_until, worker_is_idle

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("INTEGRATION_APP_DATABASE_URL"),
        reason="the worker logs in as the owner here; make test-integration-app-role checks this",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_in_as_the_role_that_owns_nothing():
    role = os.environ["INTEGRATION_APP_DATABASE_URL"].split("//", 1)[1].split("@", 1)[0]
    log = Path(os.environ["INTEGRATION_POSTGRES_LOG"])
    start = log.stat().st_size

    # A task that reads and writes: "you took part" notices (none waiting, so it looks only).
    app.send_task("governance.tell_participations")
    wait_until(worker_is_idle, 60, "the worker to run the task")

    def logged_in() -> bool:
        with log.open("rb") as text:
            text.seek(start)
            return f"connection authorized: user={role} ".encode() in text.read()

    wait_until(logged_in, 30, f"a connection of {role} in the log")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, "
            "(SELECT count(*) FROM pg_tables WHERE tableowner = rolname) "
            "FROM pg_roles WHERE rolname = %s",
            [role],
        )
        assert cursor.fetchone() == (False, False, False, 0)
