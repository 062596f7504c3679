"""The tables' owner for a moment, under `make test-integration-app-role`.

There every connection of the tests is switched to the application's role
(scripts/integration_app_role.py). `seed_demo` on PostgreSQL is the owner's: it tells last year
with the votes' window rules off for its transaction, which only the owner may do (README;
common/story.py). A test that seeds the demo does that as the owner; what it tests after runs
as the application again.
"""

import os
from contextlib import contextmanager

from django.db import connection


@contextmanager
def as_the_owner():
    role = os.environ.get("INTEGRATION_APP_ROLE", "")
    if not role or connection.vendor != "postgresql":
        yield
        return
    if not role.isidentifier():
        raise ValueError(f"not a role name: {role!r}")
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")
