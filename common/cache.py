"""Django's Redis cache, with one client object per connection pool, and a counter in one
round trip.

Django's `RedisCacheClient` builds a new `redis.Redis` object for every cache call (its
constructor copies some 200 response callbacks); a logged-in request makes four to six cache
calls (the session, the rate limit, the page cache's version), so that was a measurable part
of casting a vote. A `redis.Redis` object is safe to share between threads (it takes a
connection from its pool per command), so one is kept per pool.

`count(key, timeout)` adds one to a counter that starts at zero and expires after `timeout`
seconds: on Redis one command (a Lua script, run by its SHA-1: INCR, and EXPIRE when the
counter is new), atomic like a MULTI; on any other cache Django's `add` and `incr`. The script
took a third less of the web process's CPU than the pipeline of SET NX EX and INCR it replaced
(redis-py's pipeline is a Python object per call), on every vote and every limited form.
"""

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


# KEYS[1] the counter, ARGV[1] its lifetime in seconds. A counter is only ever made here, with
# its expiry, in the same atomic script: it cannot be left without one.
_COUNT = """
local value = redis.call('INCR', KEYS[1])
if value == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return value
"""


class RedisCache(DjangoRedisCache):
    """`CACHES` BACKEND for a redis:// CACHE_URL (config/settings.py)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._count_script = None

    def load(self) -> None:
        """Import the Redis library and make the client, which connects on its first command:
        what a new web process's first cache call would do otherwise (config/warmup.py)."""
        self._cache  # noqa: B018 - Django's cached property that makes the client

    def count(self, key: str, timeout: int) -> int:
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        if self._count_script is None:
            # redis-py's Script (its SHA-1 worked out here): EVALSHA, and on NOSCRIPT (a
            # restarted or flushed Redis) it loads the script and runs it again.
            self._count_script = client.register_script(_COUNT)
        return self._count_script(keys=[key], args=[timeout], client=client)


def count(key: str, timeout: int) -> int:
    """One more for `key` (a counter that starts at 0 and lives `timeout` seconds); the new
    value."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return backend.count(key, timeout)
    backend.add(key, 0, timeout=timeout)
    try:
        return backend.incr(key)
    except ValueError:  # the key expired between add and incr
        backend.add(key, 1, timeout=timeout)
        return 1
