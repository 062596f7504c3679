"""The audit trail is append-only in the database: every django-simple-history table carries the
trigger that refuses UPDATE and DELETE (`common.models.AuditHistory`). On PostgreSQL the refusal
itself is tried in tests/integration/test_history_append_only.py; here, that no history table,
including a new one, is left without it."""

from django.apps import apps
from simple_history.models import HistoricalChanges


def history_models() -> list:
    return [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]


def test_every_history_table_refuses_update_and_delete():
    found = history_models()
    assert len(found) >= 30  # the ledger's, the governance's, the register's, the accounts'…
    missing = []
    for model in found:
        triggers = {t.name: t for t in getattr(model._meta, "triggers", [])}
        trigger = triggers.get("history_append_only")
        if trigger is None or str(trigger.operation) != "UPDATE OR DELETE":
            missing.append(model._meta.label)
    assert missing == []


def test_many_to_many_history_is_append_only_too():
    # the register's classifications and a proposal's areas keep their own history tables
    labels = {model._meta.label for model in history_models()}
    assert {
        "initiatives.HistoricalInitiative_classifications",
        "governance.HistoricalProposal_areas",
    } <= labels
