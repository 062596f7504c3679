"""What every app's models share."""

import pgtrigger
from simple_history.models import HistoricalRecords


def refuse_rewrites(name: str) -> pgtrigger.Protect:
    """A PostgreSQL trigger that refuses every UPDATE and DELETE of the table's rows: the rows
    are append-only in the database itself, against the admin, a script and raw SQL alike."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)


def changed(*names: str) -> list[pgtrigger.Q]:
    """One trigger condition per column: its old value is distinct from its new one (for a
    `pgtrigger.Q(..., _connector=pgtrigger.Q.OR)` that refuses an UPDATE changing any)."""
    return [pgtrigger.Q(**{f"old__{name}__df": pgtrigger.F(f"new__{name}")}) for name in names]


class AuditHistory(HistoricalRecords):
    """django-simple-history's audit trail (who changed what, when and why), append-only in the
    database: each history table, and that of a history's many-to-many fields, refuses UPDATE
    and DELETE (`refuse_rewrites`). A history row is written once, when its change is saved; a
    date of the past is given before the save (`instance._history_date`), never afterwards."""

    def get_meta_options(self, model) -> dict:
        return {**super().get_meta_options(model), "triggers": [_history_trigger()]}

    def get_meta_options_m2m(self, through_model) -> dict:
        return {**super().get_meta_options_m2m(through_model), "triggers": [_history_trigger()]}


def _history_trigger() -> pgtrigger.Protect:
    return refuse_rewrites("history_append_only")
