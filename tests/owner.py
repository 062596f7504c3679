"""The tables' owner for a moment, when a test runs as the application's role.

Under `make test-integration-app-role` every connection of the tests is switched to the
application's role (scripts/integration_app_role.py, `SET ROLE`); some tests switch to it for a
transaction (`SET LOCAL ROLE`, tests/integration/test_app_role.py). `seed_demo` on PostgreSQL is
the owner's: it tells last year with the votes' clock rules off for its transaction, which only
the owner may do (README; common/story.py), and so does a test's closing time
(`tests.clock.at_closing`). That is done as the role the connection logged in with; what the
test does after runs as the application again.
"""

import contextlib
from contextlib import contextmanager

from django.db import DatabaseError, connection


@contextmanager
def as_the_owner():
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user::text, session_user::text")
        current, logged_in = cursor.fetchone()
    if current == logged_in:
        yield
        return
    local = connection.in_atomic_block  # a role set for the transaction, or for the session
    _set_role("NONE", local=local)
    try:
        yield
    except BaseException:
        with contextlib.suppress(DatabaseError):  # an aborted transaction is rolled back anyway
            _set_role(current, local=local)
        raise
    _set_role(current, local=local)


def _set_role(role: str, *, local: bool) -> None:
    name = "NONE" if role == "NONE" else connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(f"SET {'LOCAL ' if local else ''}ROLE {name}")
