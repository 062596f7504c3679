"""No session switches our database triggers off.

Every trigger django-pgtrigger installs starts by asking `_pgtrigger_should_ignore(its name)`,
which reads the session setting `pgtrigger.ignore` (what `pgtrigger.ignore()` sets). Any role may
set a setting of that kind, so without this any SQL on the application's connection could lift
the triggers that keep the ledger, the decisions and the votes append-only, with one statement
before its UPDATE. After every migrate the question answers "no" for every trigger, whatever the
session says; nothing of ours lifts a trigger (a rule that must bend, such as deleting the sealed
ballots of a counted poll, is written into the trigger itself).

django-pgtrigger writes its own version of the function again whenever it installs a trigger (a
migration, `manage.py pgtrigger install`), so this runs after every migrate, as the last step:
`tests/integration/test_trigger_switch.py` tries the setting on every trigger. A superuser or the
tables' owner can still disable or drop a trigger (docs/voting-threat-model.md); a session
setting no longer can.
"""

import re

import pgtrigger.features
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

_NEVER_IGNORE = """
CREATE OR REPLACE FUNCTION {name}(trigger_name NAME) RETURNS BOOLEAN AS $$
    -- Burgerkracht (security/database.py): no session setting lifts a trigger.
    SELECT FALSE;
$$ LANGUAGE sql IMMUTABLE;
"""


def ignore_function_name() -> str:
    """django-pgtrigger's function, in the schema it installs into."""
    schema = pgtrigger.features.schema()
    return f'"{schema}"._pgtrigger_should_ignore' if schema else "_pgtrigger_should_ignore"


def never_ignore_triggers(using: str = "default", **kwargs) -> None:
    """Make `_pgtrigger_should_ignore` answer "no" on PostgreSQL (a post_migrate receiver), and
    give the application's own role what it needs and no more (`grant_app_role`)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_NEVER_IGNORE.format(name=ignore_function_name()))
    if settings.DATABASE_APP_ROLE:
        grant_app_role(settings.DATABASE_APP_ROLE, using=using)


# What the web processes, the worker and the beat do: read and write rows, number new ones.
# Not TRUNCATE, REFERENCES or TRIGGER, and no table of their own: only the owner (the role that
# migrates) or a superuser can switch a trigger off, drop one or empty a table.
_APP_GRANTS = (
    "GRANT USAGE ON SCHEMA {schema} TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
    "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
)
_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grant_app_role(role: str, *, using: str = "default") -> None:
    """Give `role` (`DATABASE_APP_ROLE`, the role in the web's and the worker's DATABASE_URL)
    the rights on every table there is now; run by every migrate, so new tables are included.
    The role must exist and own nothing (deploy/README.md, "A database role that owns nothing")."""
    if not _ROLE_NAME.fullmatch(role):
        raise ImproperlyConfigured(
            f"DATABASE_APP_ROLE {role!r}: lower-case letters, digits and _ only."
        )
    connection = connections[using]
    quote = connection.ops.quote_name
    schema = pgtrigger.features.schema() or "public"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid) "
            "FROM pg_roles r WHERE r.rolname = %s",
            [role],
        )
        found = cursor.fetchone()
        if found is None:
            raise ImproperlyConfigured(f"DATABASE_APP_ROLE {role!r} does not exist.")
        if any(found):
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE {role!r} is a superuser or owns tables: it could switch "
                "the database's refusals off. Give it a role of its own."
            )
        for grant in _APP_GRANTS:
            cursor.execute(grant.format(schema=quote(schema), role=quote(role)))
