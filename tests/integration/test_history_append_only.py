"""The audit trail on PostgreSQL: who changed what, when and why is written once and never
rewritten, by the ORM, by SQL or with django-pgtrigger's skip setting (`common.models.AuditHistory`,
security/database.py). Before, any SQL could give a change another author, date or reason."""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from simple_history.models import HistoricalChanges

from accounts.models import Role
from governance import bodies
from governance.models import DecisionRule
from initiatives import services as initiative_services
from initiatives.models import Initiative
from tests.accounts.factories import UserFactory
from tests.initiatives.factories import InitiativeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def refused(sql: str, params=(), *, skip_setting: bool = False) -> bool:
    """Whether the database refuses `sql` (with every trigger named in `pgtrigger.ignore` when
    `skip_setting`); the test's transaction stays usable."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if skip_setting:
                cursor.execute(
                    "SELECT set_config('pgtrigger.ignore', "
                    "(SELECT '{' || string_agg(DISTINCT tgname, ',') || '}' FROM pg_trigger "
                    "WHERE tgname LIKE 'pgtrigger_%%'), true)"
                )
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "pgtrigger: Cannot" in str(error)
    return False


@pytest.fixture
def servant():
    return UserFactory(username="ambtenaar-geschiedenis", roles=[Role.CIVIL_SERVANT])


def test_every_history_table_has_the_trigger_in_the_database():
    tables = sorted(
        model._meta.db_table for model in apps.get_models() if issubclass(model, HistoricalChanges)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'pgtrigger_history_append_only_%%' AND t.tgenabled = 'O'"
        )
        guarded = {name for (name,) in cursor.fetchall()}
    assert len(tables) >= 30
    assert [table for table in tables if table not in guarded] == []


@pytest.mark.parametrize("skip_setting", [False, True])
def test_a_decision_rules_history_keeps_its_author_date_and_reason(servant, skip_setting):
    rule = bodies.create_decision_rule(
        name="Tweederde",
        majority_percent=66,
        quorum=DecisionRule.Quorum.NONE,
        actor=servant,
        reason="Voor grote besluiten",
    )
    bodies.update_decision_rule(
        rule=rule, majority_percent=75, actor=servant, reason="Afspraak van de raad"
    )
    table = DecisionRule.history.model._meta.db_table
    before = list(rule.history.values_list("history_user_id", "history_date", "majority_percent"))

    for sql in (
        f"UPDATE {table} SET history_change_reason = 'Niemand vroeg erom'",  # noqa: S608
        f"UPDATE {table} SET history_user_id = NULL",  # noqa: S608
        f"UPDATE {table} SET history_date = history_date - interval '1 year'",  # noqa: S608
        f"UPDATE {table} SET majority_percent = 51",  # noqa: S608
        f"DELETE FROM {table}",  # noqa: S608
    ):
        assert refused(sql, skip_setting=skip_setting), sql

    after = list(rule.history.values_list("history_user_id", "history_date", "majority_percent"))
    assert after == before
    assert rule.history.first().history_change_reason == "Afspraak van de raad"


def test_the_orm_cannot_rewrite_the_register_s_history_either(servant):
    initiative = InitiativeFactory(classes=[("leefgebied", "werk")])
    initiative_services.update_initiative(initiative=initiative, actor=servant, summary="Nieuw")
    records = Initiative.history.filter(id=initiative.pk)
    count = records.count()
    m2m = apps.get_model("initiatives", "HistoricalInitiative_classifications")
    links = m2m.objects.filter(history__id=initiative.pk)
    assert links.exists()

    for attempt in (
        lambda: records.update(summary="Anders"),
        lambda: records.delete(),
        lambda: records.first().delete(),
        lambda: links.delete(),
    ):
        with pytest.raises(DatabaseError, match="pgtrigger: Cannot"), transaction.atomic():
            attempt()

    assert records.count() == count
    assert not records.filter(summary="Anders").exists()
    assert links.exists()
