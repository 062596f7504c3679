"""Running requests or service calls at the same moment, for the concurrency tests."""

import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.test import Client


def run_together(count: int, work: Callable[[int], object]) -> list[object]:
    """Run `work(i)` for i in range(count), each in its own thread with its own connection,
    all released at once. Returns each call's result, or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - reported to the test, which checks them
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def session_client(user) -> Callable[[], Client]:
    """A factory of test clients logged in as `user` with one shared session."""
    login = Client()
    login.force_login(user)
    key = login.cookies[settings.SESSION_COOKIE_NAME].value

    def make() -> Client:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        return client

    return make
