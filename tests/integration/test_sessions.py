"""The idle clock beside the session in Redis (accounts/sessions.py, issue 16), on PostgreSQL and
Redis: renewing it writes nothing to the database, reading it costs no extra round trip, every
web process sees it, and log-out removes it."""

import os
import time
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.middleware import RESOLUTION_SECONDS
from accounts.sessions import IDLE_KEY_PREFIX

from .conftest import last_line_in_another_process

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def redis_url(settings):
    url = f"redis://127.0.0.1:{os.environ['INTEGRATION_REDIS_PORT']}/1"
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "common.cache.RedisCache", "LOCATION": url},
    }
    caches["default"].clear()
    yield url
    caches["default"].clear()


def _commands(client) -> dict[str, int]:
    return {
        name.removeprefix("cmdstat_"): row["calls"]
        for name, row in client.info("commandstats").items()
        if not name.startswith(("cmdstat_config", "cmdstat_info"))
    }


def _clock_in_another_process(url: str, session_key: str) -> int | None:
    code = (
        "from accounts.sessions import SessionStore\n"
        f"print(SessionStore({session_key!r}).last_activity())\n"
    )
    last = last_line_in_another_process(code, url)
    return None if last == "None" else int(last)


def test_the_idle_clock_lives_in_redis_and_renewing_it_writes_no_row(
    client, redis_url, resident, monkeypatch
):
    cache = caches["default"]
    redis = cache._cache.get_client("x", write=True)
    response = client.post(
        reverse("login"), {"username": "bewoner", "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 302
    key = client.session.session_key
    profile = reverse("accounts:profile")
    assert client.get(profile).status_code == 200
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + RESOLUTION_SECONDS + 1)
    redis.config_resetstat()
    # when: the request that renews the clock
    with CaptureQueriesContext(connection) as queries:
        assert client.get(profile).status_code == 200
    # then: PostgreSQL saw nothing of the session; Redis one read of the session with its clock
    # (MGET) and one write of the clock (SET)
    assert not [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]
    calls = _commands(redis)
    assert calls.get("mget") == 1 and "get" not in calls, calls
    assert calls.get("set") == 1, calls
    renewed = int(time.time())
    clock_key = cache.make_and_validate_key(IDLE_KEY_PREFIX + key)
    assert redis.ttl(clock_key) > 15 * 60  # the resident's limit, a little more
    # Every web process sees it (the cache is shared; the session's data is there too, so the
    # other process reads no database).
    assert _clock_in_another_process(redis_url, key) == renewed
    # Log-out takes the clock away with the session.
    client.post(reverse("logout"))
    assert not redis.exists(clock_key)
    assert not redis.exists(cache.make_and_validate_key(f"django.contrib.sessions.cached_db{key}"))


@pytest.mark.django_db(transaction=True)
def test_the_worker_deletes_expired_sessions_and_keeps_the_others():
    # The beat's nightly task, run by the real worker (as the application's role under
    # `make test-integration-app-role`, which may delete only what the app may).
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from config.celery import app

    from .conftest import wait_until

    now = timezone.now()
    Session.objects.create(session_key="e" * 32, session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="l" * 32, session_data="", expire_date=now + timedelta(1))
    app.send_task("accounts.clear_expired_sessions")
    wait_until(
        lambda: not Session.objects.filter(expire_date__lt=now).exists(),
        60,
        "the worker to delete the expired session",
    )
    assert list(Session.objects.values_list("session_key", flat=True)) == ["l" * 32]
