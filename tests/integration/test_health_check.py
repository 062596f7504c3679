"""A kept database connection is checked through its socket (common/postgresql/base.py): no
`SELECT 1` at the start of each request while the server has said nothing, and a connection the
server ended is still replaced before the request uses it. Against the harness's PostgreSQL."""

import select
import time
from contextlib import contextmanager

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def from_another_connection(sql: str, params=()) -> None:
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        other.close()


def wait_until_readable(timeout: float = 10) -> None:
    """Until the server's message has reached our connection's socket."""
    deadline = time.monotonic() + timeout
    while not select.select([connection.connection.fileno()], [], [], 0.05)[0]:
        assert time.monotonic() < deadline, "the server's message never arrived"


class _Counting:
    """The driver's connection, counting the cursors opened on it (every statement Django or
    its health check sends opens one)."""

    def __init__(self, driver, opened: list) -> None:
        self._driver, self._opened = driver, opened

    def cursor(self, *args, **kwargs):
        self._opened.append(args)
        return self._driver.cursor(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._driver, name)


@contextmanager
def statements_sent():
    opened: list = []
    driver = connection.connection
    connection.connection = _Counting(driver, opened)
    try:
        yield opened
    finally:
        if connection.connection is not None:
            connection.connection = driver


def start_of_a_request() -> None:
    """What Django does for every request: old connections are looked at when it starts
    (request_started), and the health check runs before the request's first query."""
    close_old_connections()
    connection.close_if_health_check_failed()


def test_the_settings_use_our_backend_with_health_checks_on():
    assert connection.settings_dict["ENGINE"] == "common.postgresql"
    assert connection.health_check_enabled


def test_a_kept_connection_is_used_without_a_statement_to_check_it():
    pid = backend_pid()
    with statements_sent() as sent:
        start_of_a_request()
    assert sent == []  # Django's own check sends SELECT 1 here, on every request
    assert backend_pid() == pid


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it():
    pid = backend_pid()
    from_another_connection("SELECT pg_terminate_backend(%s)", [pid])
    wait_until_readable()
    start_of_a_request()
    assert get_user_model().objects.count() >= 0  # the request's first query works
    assert backend_pid() != pid


def test_a_connection_with_a_message_waiting_is_asked_and_kept_when_it_answers():
    pid = backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("LISTEN bk_health_check")
    try:
        from_another_connection("NOTIFY bk_health_check")
        wait_until_readable()
        with statements_sent() as sent:
            start_of_a_request()
        assert len(sent) == 1  # Django's check ran: the waiting message was no ending
        assert backend_pid() == pid
    finally:
        with connection.cursor() as cursor:
            cursor.execute("UNLISTEN *")


def test_a_connection_left_in_a_transaction_is_asked_not_trusted():
    pid = backend_pid()
    connection.connection.autocommit = False
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # a transaction is open now
    try:
        with statements_sent() as sent:
            assert connection.is_usable()
        assert len(sent) == 1
    finally:
        connection.connection.rollback()
        connection.connection.autocommit = True
    assert backend_pid() == pid
