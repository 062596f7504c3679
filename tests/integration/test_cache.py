"""Our Redis cache (common/cache.py) on a real Redis: one client per pool, a counter in one
round trip that expires, exact under threads."""

import os
import threading

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_cache(settings):
    url = f"redis://127.0.0.1:{os.environ['INTEGRATION_REDIS_PORT']}/1"
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "common.cache.RedisCache", "LOCATION": url},
    }
    backend = caches["default"]
    backend.clear()
    yield backend
    backend.clear()


def test_the_redis_client_is_made_once_per_pool(redis_cache):
    client = redis_cache._cache.get_client("a", write=True)
    redis_cache.set("a", 1, timeout=10)
    assert redis_cache.get("a") == 1
    assert redis_cache._cache.get_client("b", write=True) is client


def test_a_count_starts_at_one_expires_and_is_a_plain_number(redis_cache):
    from common.cache import count

    assert [count("tries", timeout=30) for _ in range(3)] == [1, 2, 3]
    client = redis_cache._cache.get_client("tries", write=True)
    key = redis_cache.make_and_validate_key("tries")
    assert 0 < client.ttl(key) <= 30  # the first count set the expiry, the others kept it
    assert redis_cache.get("tries") == 3  # Django's own reads see the same counter
    assert redis_cache.incr("tries") == 4


def test_counts_from_many_threads_add_up_exactly(redis_cache):
    from common.cache import count

    seen: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        values = [count("crowd", timeout=30) for _ in range(50)]
        with lock:
            seen.extend(values)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(1, 401))  # every count got its own number


def test_a_count_is_one_command_and_survives_a_flushed_script_cache(redis_cache):
    from common.cache import count

    client = redis_cache._cache.get_client("once", write=True)
    assert count("once", timeout=30) == 1
    client.config_resetstat()
    assert count("once", timeout=30) == 2
    calls = {
        name.removeprefix("cmdstat_"): row["calls"]
        for name, row in client.info("commandstats").items()
        if not name.startswith("cmdstat_config")  # the reset above
    }
    # One EVALSHA from here (Redis also counts the INCR the script ran); no SET, no MULTI.
    assert calls == {"evalsha": 1, "incr": 1}
    client.script_flush()  # as after a restart of Redis: the script is gone there
    assert count("once", timeout=30) == 3
    key = redis_cache.make_and_validate_key("once")
    assert 0 < client.ttl(key) <= 30
