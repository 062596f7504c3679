"""The session engine (SESSION_ENGINE): Django's `cached_db`, with the idle clock in the cache.

`IdleTimeoutMiddleware` ends a session after a while without a request, so it keeps the time of
the last request. Kept in the session itself, each renewal (at most every 30 seconds of use)
wrote the session's row: an UPDATE in a transaction, on whichever page the person opened then,
which took some pages past their twelve queries on that one request (issue 16).

Here the clock is a cache entry of its own beside the session's (`bk.sessions.idle:<key>`):
- read together with the session in one round trip (`get_many`), as the session alone was;
- renewed with one cache write and no database statement (`renew_idle_clock`);
- deleted with the session (log-out, a new key at log-in).

The session keeps its own time as the fall-back: the log-in's, and the clock's latest whenever
the session is written for another reason. When the cache has lost the entry (Redis restarted,
or evicted it), that older time counts: the session then ends no later than it would have, and
someone active for longer than their limit since that time is logged out once (fail-closed,
never open: `tests/accounts/test_sessions.py`).

The row itself is no longer rewritten while someone is active, so the server keeps a session
for SESSION_COOKIE_AGE after it was last written, which is longer than the longest session
(SESSION_MAX_SECONDS after log-in, `IdleTimeoutMiddleware`).
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger(__name__)

# The session's own keys (the leading underscore as Django's _auth_user_id).
LAST_ACTIVITY = "_last_activity"
LOGGED_IN_AT = "_logged_in_at"
IDLE_KEY_PREFIX = "bk.sessions.idle:"


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        # The idle clock read from (or written to) the cache for this session key, or None.
        self._idle_clock: int | None = None

    def load(self):
        """The session's data, and its idle clock, from the cache in one round trip; the data
        from the database when the cache has not got it (as Django's `cached_db`)."""
        data_key, clock_key = self.cache_key, IDLE_KEY_PREFIX + self.session_key
        try:
            found = self._cache.get_many([data_key, clock_key])
        except Exception:  # noqa: BLE001 - as Django's: a backend may refuse a key (#17810)
            found = {}
        self._idle_clock = found.get(clock_key)
        data = found.get(data_key)
        if data is None:
            stored = self._get_session_from_db()
            if stored is None:
                self._idle_clock = None
                return {}
            data = self.decode(stored.session_data)
            self._cache.set(data_key, data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def last_activity(self) -> int | None:
        """When this session was last known to be in use (seconds since the epoch): the later
        of the cache's clock and the session's own time; None if it has neither."""
        stored = self.get(LAST_ACTIVITY)  # loads the session, and with it the clock
        return max((t for t in (stored, self._idle_clock) if t is not None), default=None)

    def renew_idle_clock(self, now: int, timeout: int) -> None:
        """The session is in use at `now`: kept in the cache for `timeout` seconds. Without a
        cache, in the session (written to the database at the end of the request)."""
        self._idle_clock = now
        try:
            self._cache.set(IDLE_KEY_PREFIX + self._get_or_create_session_key(), now, timeout)
        except Exception:
            logger.exception("The idle clock could not be kept in the cache (%s)", self._cache)
            self[LAST_ACTIVITY] = now

    def save(self, must_create=False):
        """Written for another reason: the session's own time catches up with the clock."""
        if self._idle_clock is not None and self._session.get(LAST_ACTIVITY, 0) < self._idle_clock:
            self._session[LAST_ACTIVITY] = self._idle_clock
        super().save(must_create)

    def create(self):
        """A new key (a new session, or `cycle_key` at log-in) has no clock of its own yet."""
        self._idle_clock = None
        super().create()

    def clear(self):
        self._idle_clock = None
        super().clear()

    def delete(self, session_key=None):
        """The row, and the session's data and clock in the cache (one cache call)."""
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        DBStore.delete(self, session_key)
        self._cache.delete_many(
            [self.cache_key_prefix + session_key, IDLE_KEY_PREFIX + session_key]
        )
