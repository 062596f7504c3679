"""The demo's past, told on PostgreSQL (`seed_demo`).

The demo tells last year with the clock set back (`freeze_time`), which PostgreSQL's clock does
not follow, and the database takes a vote, a participation, a sealed ballot or a budget ballot
only inside its window by its own clock (governance migration 0030, budgeting 0012), and closes
and decides a vote or computes a round only after its closing time (0031, 0013). Each app's
`demo.py` names those rules in `WINDOW_RULES` ((model, trigger name), …); `seed_demo` seeds in
one transaction inside `past_told`, which switches them off for that transaction and on again
before it commits (undone with it if anything fails). Only the tables' owner may switch a
trigger off: the application's own role cannot
(`tests/integration/test_vote_window.py::test_the_application_s_role_cannot_switch_the_rules_off`).
The suite on PostgreSQL does the same for a test that travels in time (`tests/at_commit.py`).
"""

from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import connection, transaction


def window_rules() -> list[tuple]:
    """(model, trigger name) of every app's `demo.WINDOW_RULES`."""
    rules = []
    for config in apps.get_app_configs():
        if find_spec(f"{config.name}.demo") is not None:
            rules += getattr(import_module(f"{config.name}.demo"), "WINDOW_RULES", ())
    return rules


def trigger_id(model, name: str) -> str:
    """The name PostgreSQL knows the rule `name` of `model` by (django-pgtrigger's)."""
    return next(t.get_pgid(model) for t in model._meta.triggers if t.name == name)


def switch(cursor, rules, *, on: bool) -> None:
    """`rules` on or off, as the tables' owner (in the cursor's transaction, if any)."""
    for model, name in rules:
        state = "ENABLE" if on else "DISABLE"
        cursor.execute(
            f'ALTER TABLE "{model._meta.db_table}" {state} TRIGGER "{trigger_id(model, name)}"'
        )


@contextmanager
def past_told(rules):
    """Inside a transaction: `rules` ((model, trigger name), …) off, then on again."""
    if connection.vendor != "postgresql" or not rules:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        deferred = _deferred_checks(cursor, rules)
        with _checked_now(cursor, deferred):
            switch(cursor, rules, on=False)
        yield
        with _checked_now(cursor, deferred):
            switch(cursor, rules, on=True)


def _deferred_checks(cursor, rules) -> str:
    """The deferrable checks (foreign keys) of the rules' tables, quoted, comma-separated."""
    cursor.execute(
        "SELECT string_agg(quote_ident(conname), ', ') FROM pg_constraint"
        " WHERE conrelid = ANY(%s::regclass[]) AND condeferrable",
        [sorted({model._meta.db_table for model, _name in rules})],
    )
    return cursor.fetchone()[0] or ""


@contextmanager
def _checked_now(cursor, deferred: str):
    """ALTER TABLE waits for a table's own deferred checks of this transaction: those of these
    tables run now, the rest of the transaction's stay for its commit; then deferred again."""
    if deferred:
        cursor.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
    yield
    if deferred:
        cursor.execute(f"SET CONSTRAINTS {deferred} DEFERRED")
