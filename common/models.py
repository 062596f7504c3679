"""What every app's models share."""

import pgtrigger


def refuse_rewrites(name: str) -> pgtrigger.Protect:
    """A PostgreSQL trigger that refuses every UPDATE and DELETE of the table's rows: the rows
    are append-only in the database itself, against the admin, a script and raw SQL alike."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)
