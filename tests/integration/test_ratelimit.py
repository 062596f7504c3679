"""Rate limits count in Redis, so every web process counts together (issue 17.2)."""

import os

import pytest

from .conftest import last_line_in_another_process

pytestmark = pytest.mark.integration

ADDRESS = "198.51.100.77"


def _hits_in_another_process(cache_url: str, times: int) -> list[bool]:
    """Count `times` registration attempts from ADDRESS in a separate Python process."""
    code = (
        "from accounts.ratelimit import hit\n"
        f"print([hit('register', {ADDRESS!r}) for _ in range({times})])\n"
    )
    last = last_line_in_another_process(code, cache_url)
    return eval(last)  # noqa: S307 - our own list of booleans


def test_a_limit_reached_in_one_process_holds_in_another(settings):
    from django.core.cache import cache

    from accounts.ratelimit import hit, parse_rate

    cache_url = f"redis://127.0.0.1:{os.environ['INTEGRATION_REDIS_PORT']}/1"
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "common.cache.RedisCache", "LOCATION": cache_url},
    }
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": "20/h"}
    cache.clear()
    limit, _period = parse_rate("20/h")
    # given another process that used up every try from this address
    assert _hits_in_another_process(cache_url, limit) == [False] * limit
    # then this process refuses the next one, and another address is still free
    assert hit("register", ADDRESS) is True
    assert hit("register", "203.0.113.5") is False
    cache.clear()
