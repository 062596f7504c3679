"""SQL as an insider writes it, for the integration tests that try the database's own rules:
as the connection's role, or as another role for one transaction (`SET LOCAL ROLE`), usually the
application's (the `app_role` fixture in conftest.py)."""

import pytest
from django.db import DatabaseError, connection, transaction


def run(sql: str, params=()) -> int:
    """`sql` on the test's connection; how many rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def as_role(role: str, sql: str, params=()) -> int:
    """`sql` as `role`, in a transaction of its own; how many rows it touched."""
    with transaction.atomic():
        run(f"SET LOCAL ROLE {role}")
        return run(sql, params)


def refused_as(role: str, sql: str, params=(), error=DatabaseError) -> str:
    """`sql` as `role` must be refused (with `error`); the database's message."""
    with pytest.raises(error) as raised, transaction.atomic():
        run(f"SET LOCAL ROLE {role}")
        run(sql, params)
    return str(raised.value)
