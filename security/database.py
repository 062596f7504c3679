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

import pgtrigger.features
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
    """Make `_pgtrigger_should_ignore` answer "no" on PostgreSQL (a post_migrate receiver)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_NEVER_IGNORE.format(name=ignore_function_name()))
