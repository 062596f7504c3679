"""Django's PostgreSQL backend, whose health check asks the connection's socket before it asks
the server.

Django keeps a connection open between requests (CONN_MAX_AGE) and, with CONN_HEALTH_CHECKS,
checks it at the first query of each request by running `SELECT 1`: one more round trip on every
page that reads the database (0.04 ms of the web process and 0.05 ms of PostgreSQL's CPU, in
process, of a vote's 3.3 ms and 0.8 ms). A connection between requests is idle: the server sends
it nothing until it is asked. So when there is nothing to read on its socket, the server has
neither closed it nor said anything, and it is used as it is. When there is something (the
server closed it: a restart, `pg_terminate_backend`, a fail-over; or a notice), Django's own
check runs and decides. A connection that is not idle, or closed on our side, is not trusted.

What this check cannot see, Django's could not either without waiting for a time-out: a server
that vanished without closing (a cable pulled). The query then fails, the page says "try again
later" (security.middleware.DatabaseUnavailableMiddleware) and Django drops the connection.
"""

import select

from django.db.backends.postgresql import base
from psycopg2.extensions import TRANSACTION_STATUS_IDLE


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.get_transaction_status() != TRANSACTION_STATUS_IDLE:
            return super().is_usable()
        try:
            poll = select.poll()
            poll.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            waiting = poll.poll(0)
        except (AttributeError, OSError, ValueError):  # no poll() here, or no socket any more
            return super().is_usable()
        return not waiting or super().is_usable()
