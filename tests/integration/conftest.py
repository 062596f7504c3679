"""The integration suite: the real PostgreSQL, Redis and Celery worker of scripts/integration.py.

Run it with `make test-integration`. The worker is another process connected to the database the
harness migrated, so the tests use that same database instead of pytest-django's `test_` copy
(pytest-django's "existing, external database" recipe: a `django_db_setup` that creates nothing).
Tests that need the worker to see their rows use `django_db(transaction=True)`; those are flushed
after each test, and the flush's post_migrate signal recreates the role groups.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://", "psql://")


def pytest_configure(config):
    # The suite flushes the database it is pointed at: refuse anything but the harness's own.
    if os.environ.get("INTEGRATION_HARNESS") != "1":
        raise pytest.UsageError(
            "tests/integration needs the throwaway PostgreSQL, Redis and Celery worker that "
            "scripts/integration.py starts: run `make test-integration`."
        )
    if not os.environ.get("DATABASE_URL", "").startswith(POSTGRES_SCHEMES):
        raise pytest.UsageError("tests/integration needs DATABASE_URL to point at PostgreSQL.")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        raise pytest.UsageError("tests/integration needs CELERY_BROKER_URL to point at Redis.")


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    """Use the harness's migrated database, the one the worker is connected to."""
    from django.db import connection

    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.fail("tests/integration share one database with the worker: do not use -n")
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", connection.vendor


def wait_until(check, timeout: float, what: str):
    """Poll `check` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.2)


def last_line_in_another_process(code: str, cache_url: str) -> str:
    """The last line `code` prints in a new Python process, as another web process would run it:
    Django set up with the project's settings on the cache at `cache_url`."""
    script = f"import django; django.setup()\n{code}"
    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


class RedisServer:
    """The harness's Redis: tests may stop it, and restart it from the same command line."""

    def __init__(self) -> None:
        self.port = int(os.environ["INTEGRATION_REDIS_PORT"])
        self.cmd = json.loads(os.environ["INTEGRATION_REDIS_CMD"])

    # Bare commands on a socket: redis-py's client retries with back-off, which only slows
    # these checks down.
    def command(self, command: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(command + b"\r\n")
            return sock.recv(1024)

    def accepts_connections(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            return False
        return True

    def answers_ping(self) -> bool:
        try:
            return self.command(b"PING").startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        self.command(b"SHUTDOWN NOSAVE")  # answers by closing the connection
        wait_until(lambda: not self.accepts_connections(), 10, "Redis to stop")

    def start(self) -> None:
        if self.answers_ping():
            return
        # Its own session, so pytest's end does not take it down; the harness kills it by the
        # pid file both Redis processes write.
        subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, start_new_session=True)
        wait_until(self.answers_ping, 15, "Redis to start again")


def worker_answers() -> bool:
    import redis
    from kombu.exceptions import OperationalError

    from config.celery import app

    try:
        return bool(app.control.ping(timeout=1))
    except (OSError, OperationalError, redis.RedisError):
        return False  # a pooled connection from before the restart; the next try reconnects


@pytest.fixture
def redis_server():
    """The real Redis; always running again (and the worker reconnected) after the test."""
    server = RedisServer()
    assert server.answers_ping(), "Redis is not running at the start of the test"
    yield server
    server.start()
    wait_until(worker_answers, 60, "the worker to reconnect to Redis")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder():
    """Overrides the fast suite's fixture: here the worker and the tests share the harness's
    MEDIA_ROOT, so a PDF the worker wrote can be read back by the test."""


def worker_is_idle() -> bool:
    """Nothing waits in the queue and the worker runs or holds no task."""
    import redis
    from kombu.exceptions import OperationalError

    from config.celery import app

    try:
        with app.connection_for_write() as connection:
            # The broker is Redis here (see pytest_configure): a queue is a list.
            waiting = connection.default_channel.client.llen(app.conf.task_default_queue)
        if waiting:
            return False
        inspect = app.control.inspect(timeout=1)
        busy = [inspect.active() or {}, inspect.reserved() or {}]
    except (OSError, OperationalError, redis.RedisError):
        return False
    return not any(tasks for replies in busy for tasks in replies.values())


@pytest.fixture(autouse=True)
def _the_worker_is_done_before_the_flush():
    """A test that queued tasks waits, when it ends, until the worker has run them: otherwise the
    flush after a transactional test (TRUNCATE of every table) can meet the worker still writing
    what the test queued (a vote's took-part notice, say), and PostgreSQL breaks the deadlock by
    failing the flush, and with it the next test's setup. pytest-django's database fixture is set
    up before this one, so it is torn down (and flushes) after it."""
    from celery.signals import after_task_publish

    sent = []

    def published(sender=None, **_kwargs):
        sent.append(sender)

    after_task_publish.connect(published, weak=False)
    try:
        yield
    finally:
        after_task_publish.disconnect(published)
    if sent:
        wait_until(worker_is_idle, 60, f"the worker to finish {len(sent)} queued task(s)")


@pytest.fixture
def app_role():
    """The application's database role: the suite's own under `make test-integration-app-role`
    (which runs every test as it, and may not make roles), else one made in the test's
    transaction (rolled back with it, unless the test commits). Use with `tests.integration.sql.as_role`."""
    # Here, not at the top: Django is set up after this conftest loads.
    from security.database import grant_app_role  # noqa: PLC0415 - see above
    from tests.integration.sql import run  # noqa: PLC0415 - see above

    suite_role = os.environ.get("INTEGRATION_APP_ROLE")
    if suite_role:
        return suite_role
    # A test with transaction=True commits the role: the next one finds it (roles are the
    # cluster's, not the database's, and outlive the flush between tests).
    if not run("SELECT 1 FROM pg_roles WHERE rolname = 'bk_app_in_test'"):
        run("CREATE ROLE bk_app_in_test NOLOGIN")
    grant_app_role("bk_app_in_test")
    return "bk_app_in_test"


@pytest.fixture
def voting_round():
    """A budget round that votes (four plans, all feasible), its area and the civil servant
    who runs it: what the budget round's database rules are tried on."""
    # Here, not at the top: the models load after this conftest (pytest-django sets Django up).
    from accounts.models import Role  # noqa: PLC0415 - see above
    from budgeting.models import Round  # noqa: PLC0415 - see above
    from tests.accounts.factories import AreaFactory, UserFactory  # noqa: PLC0415 - see above
    from tests.budgeting.factories import resident_of, round_in  # noqa: PLC0415 - see above

    actor = UserFactory(username="ambtenaar-begroting", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name="Gein", slug="gein-begroting")
    author = resident_of(area, actor, "indiener-begroting")
    round = round_in(
        Round.Status.VOTING, area=area, civil_servant=actor, author=author, name="Gein 2026"
    )
    return round, area, actor
