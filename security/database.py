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

Nor can a table of the session's own. The functions behind the triggers read tables by name
(`sroi_closedyear`, `governance_decision`, …), and PostgreSQL looks for a name in the session's
temporary tables first unless the search path names them, last. So after every migrate each of
our functions gets a fixed search path with `pg_temp` last (`pin_search_paths`), and the
application's role may not make temporary tables at all (`grant_app_role`): an empty
`sroi_closedyear` of its own no longer opens a closed year
(`tests/integration/test_app_role.py`).
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
    pin_search_paths(using=using)
    if settings.DATABASE_APP_ROLE:
        grant_app_role(settings.DATABASE_APP_ROLE, using=using)


# Our functions in the schema (the triggers' and `bk_user_access`), not an extension's, and not
# the skip question above: it reads no table, and a fixed path would keep PostgreSQL from
# inlining it into every trigger.
_OUR_FUNCTIONS = """
SELECT p.oid::regprocedure::text FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname = %s AND l.lanname IN ('plpgsql', 'sql') AND p.prokind = 'f'
  AND p.proname <> '_pgtrigger_should_ignore'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY 1
"""


def pin_search_paths(using: str = "default") -> None:
    """Give each of our functions the search path `pg_catalog, <schema>, pg_temp`: a table of
    the session's own (`CREATE TEMP TABLE sroi_closedyear …`) is found last, after ours, so it
    cannot stand in for one. Run after every migrate: `CREATE OR REPLACE FUNCTION` (a migration,
    django-pgtrigger installing a trigger) drops the setting."""
    connection = connections[using]
    quote = connection.ops.quote_name
    schema = pgtrigger.features.schema() or "public"
    with connection.cursor() as cursor:
        cursor.execute(_OUR_FUNCTIONS, [schema])
        for (function,) in cursor.fetchall():
            cursor.execute(
                f"ALTER FUNCTION {function} SET search_path = pg_catalog, {quote(schema)}, pg_temp"
            )


# What the web processes, the worker and the beat do: read and write rows, number new ones.
# Not TRUNCATE, REFERENCES or TRIGGER, and no table of their own, not even a temporary one (which
# a trigger's function would find before ours without its pinned path): only the owner (the role
# that migrates) or a superuser can switch a trigger off, drop one or empty a table. Temporary
# tables are taken from PUBLIC, so the database should be Burgerkracht's alone.
_APP_GRANTS = (
    "GRANT USAGE ON SCHEMA {schema} TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
    "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
)
_NO_TEMPORARY_TABLES = (
    "REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC",
    "REVOKE TEMPORARY ON DATABASE {database} FROM {role}",
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
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
        for revoke in _NO_TEMPORARY_TABLES:
            cursor.execute(revoke.format(database=quote(database), role=quote(role)))
        cursor.execute("SELECT has_database_privilege(%s, current_database(), 'TEMPORARY')", [role])
        if cursor.fetchone()[0]:
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE {role!r} may still make temporary tables in {database!r}. "
                f"As the database's owner: REVOKE TEMPORARY ON DATABASE {quote(database)} FROM "
                "PUBLIC, and from every role the application's role is a member of."
            )
