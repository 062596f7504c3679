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


def committed(sql: str, params=()) -> None:
    """`sql` in a transaction of its own (its deferred checks run at its end)."""
    with transaction.atomic():
        run(sql, params)


def refused(sql: str, params=()) -> str:
    """`sql` in a transaction of its own must be refused, also at commit; the message."""
    with pytest.raises(DatabaseError) as raised:
        committed(sql, params)
    return str(raised.value)


def sql_ballot(round, voter, plan_ids=None, *, check=None) -> int:
    """A budget ballot and its choices written by SQL in one transaction, as the service does:
    of `plan_ids` (the round's plans 1 to 3 when not given); `check` is asked (with the
    ballot's id) before that transaction commits."""
    if plan_ids is None:
        plan_ids = list(round.plans.filter(number__lte=3).values_list("pk", flat=True))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO budgeting_ballot (round_id, voter_id, cast_at, channel,"
                " identity_check) VALUES (%s, %s, now(), 'online', '') RETURNING id",
                (round.pk, voter.pk),
            )
            (ballot_id,) = cursor.fetchone()
            for plan_id in plan_ids:
                cursor.execute(
                    "INSERT INTO budgeting_ballotchoice (ballot_id, plan_id) VALUES (%s, %s)",
                    (ballot_id, plan_id),
                )
        if check is not None:
            check(ballot_id)
    return ballot_id
