"""A database role that owns nothing (`DATABASE_APP_ROLE`, security/database.py): the web
processes and the worker do their work with it, and with it no SQL switches a refusal off,
drops a trigger, replaces the skip question or empties a table. The role that migrates (the
owner) and a superuser still can: docs/voting-threat-model.md."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Role
from security.database import grant_app_role, never_ignore_triggers
from sroi import services as sroi
from sroi.models import Account, Entry
from tests.accounts.factories import UserFactory

from .test_money_guarantees import executed

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROLE = "bk_app_test"


def run(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def app_role():
    """The role, made and granted in the test's transaction (rolled back with it)."""
    run(f"CREATE ROLE {ROLE} NOLOGIN")
    grant_app_role(ROLE)
    return ROLE


def as_app_role(work):
    """`work()` run as the application's role, inside a savepoint."""
    with transaction.atomic():
        run(f"SET LOCAL ROLE {ROLE}")
        try:
            return work()
        finally:
            run("RESET ROLE")


def refused_as_app_role(sql: str) -> str:
    """The database's refusal of `sql` run as the application's role."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        run(f"SET LOCAL ROLE {ROLE}")
        run(sql)
    return str(raised.value)


def test_the_application_does_its_work_with_the_role(app_role):
    # a civil servant carries out an adopted decision: the money moves, rows are numbered
    servant = UserFactory(username="ambtenaar-rol", roles=[Role.CIVIL_SERVANT])
    decision = as_app_role(lambda: executed(servant))
    booked = Entry.objects.filter(transaction__allocation=decision.allocation)
    assert booked.count() >= 2
    run("SET LOCAL ROLE " + ROLE)
    try:
        assert Entry.objects.filter(pk__in=booked.values("pk")).count() == booked.count()
    finally:
        run("RESET ROLE")


@pytest.mark.parametrize(
    ("sql", "because"),
    [
        ("ALTER TABLE sroi_entry DISABLE TRIGGER USER", "must be owner"),
        ("ALTER TABLE governance_sealedballot DISABLE TRIGGER ALL", "must be owner"),
        ("DROP TRIGGER {entry_trigger} ON sroi_entry", "must be owner"),
        ("TRUNCATE sroi_entry CASCADE", "permission denied"),
        ("TRUNCATE governance_sealedballot", "permission denied"),
        (
            "CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME) "
            "RETURNS BOOLEAN AS $$ SELECT TRUE $$ LANGUAGE sql",
            # PostgreSQL 15 and later: no CREATE in public for others; before: not the owner
            ("permission denied", "must be owner"),
        ),
        ("SET session_replication_role = replica", "permission denied"),
        ("CREATE TRIGGER t BEFORE UPDATE ON sroi_entry EXECUTE FUNCTION now()", "permission"),
    ],
)
def test_the_role_cannot_switch_the_refusals_off(app_role, sql, because):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'sroi_entry'::regclass "
            "AND tgname LIKE 'pgtrigger_entry_append_only_%%'"
        )
        (entry_trigger,) = cursor.fetchone()
    refusal = refused_as_app_role(sql.format(entry_trigger=entry_trigger))
    reasons = (because,) if isinstance(because, str) else because
    assert any(reason in refusal for reason in reasons), refusal


def test_the_role_still_meets_the_triggers(app_role):
    servant = UserFactory(username="ambtenaar-rol-2", roles=[Role.CIVIL_SERVANT])
    decision = executed(servant)
    error = refused_as_app_role(
        f"UPDATE sroi_entry SET amount = amount * 2 WHERE transaction_id IN "  # noqa: S608
        f"(SELECT id FROM sroi_transaction WHERE allocation_id = {decision.allocation.pk})"
    )
    assert "pgtrigger: Cannot" in error


def test_the_role_cannot_make_a_temporary_table(app_role):
    refusal = refused_as_app_role("CREATE TEMPORARY TABLE sroi_closedyear (year integer)")
    assert "permission denied to create temporary tables" in refusal


# The triggers' functions read our tables by name; a table of the session's own of that name
# (found first unless the search path puts pg_temp last) would answer their questions instead.
SHADOWS = {
    "a booking dated in a closed year": (
        "CREATE TEMPORARY TABLE sroi_closedyear (year integer)",
        "{last_year}-06-01",
        ("municipality", -50),
        ("available", 50),
        "closed year",
    ),
    "money out of a fund, more than it holds, without a decision": (
        # the fund's account passed off as the municipality's: no floor for it
        "CREATE TEMPORARY TABLE sroi_account AS SELECT id, fund_id, "
        "CASE WHEN kind = 'available' THEN 'municipality' ELSE kind END AS kind FROM sroi_account",
        "{today}",
        ("available", -1_000_000),
        ("municipality", 1_000_000),
        "below zero",
    ),
}


@pytest.mark.parametrize("attack", SHADOWS.values(), ids=SHADOWS.keys())
def test_a_temporary_table_of_the_session_cannot_stand_in_for_ours(app_role, attack):
    """Even with the right to make temporary tables (given back here, as on a database shared
    with others whose owner granted it), the triggers find our tables, not the session's."""
    shadow, date, (debit_kind, debit), (credit_kind, credit), because = attack
    servant = UserFactory(username="ambtenaar-schaduw", roles=[Role.CIVIL_SERVANT])
    fund = executed(servant).allocation.fund
    today = timezone.localdate()
    sroi.close_year(year=today.year - 1, reason="Klaar", actor=servant)
    accounts = {
        "available": Account.objects.get(fund=fund, kind=Account.Kind.AVAILABLE).pk,
        "municipality": Account.objects.get(kind=Account.Kind.MUNICIPALITY).pk,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    run(f'GRANT TEMPORARY ON DATABASE "{database}" TO {ROLE}')
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        run(f"SET LOCAL ROLE {ROLE}")
        run("DISCARD PLANS")  # the functions plan again, as on a new connection
        run(shadow)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO public.sroi_transaction (fund_id, kind, date, description, "
                "recorded_at, decision_reference, reason) "
                "VALUES (%s, 'other_income', %s, 'schaduw', now(), '', '') RETURNING id",
                [fund.pk, date.format(last_year=today.year - 1, today=today.isoformat())],
            )
            (booking,) = cursor.fetchone()
            cursor.execute(
                "INSERT INTO public.sroi_entry (transaction_id, account_id, amount) "
                "VALUES (%s, %s, %s), (%s, %s, %s)",
                [booking, accounts[debit_kind], debit, booking, accounts[credit_kind], credit],
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert because in str(raised.value)


def test_a_role_that_owns_tables_or_is_a_superuser_is_not_accepted():
    owner = connection.get_connection_params().get("user") or connection.settings_dict["USER"]
    with pytest.raises(ImproperlyConfigured, match="superuser or owns tables"):
        grant_app_role(owner)
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        grant_app_role("bk_nobody_here")
    with pytest.raises(ImproperlyConfigured, match="letters, digits"):
        grant_app_role("x; DROP TABLE sroi_entry")


def test_every_migrate_grants_the_configured_role_its_rights(settings):
    run(f"CREATE ROLE {ROLE} NOLOGIN")
    settings.DATABASE_APP_ROLE = ROLE

    never_ignore_triggers()  # what post_migrate runs

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, has_table_privilege(%s, c.oid, 'INSERT, UPDATE'), "
            "has_table_privilege(%s, c.oid, 'TRUNCATE') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'",
            [ROLE, ROLE],
        )
        tables = cursor.fetchall()
    assert len(tables) > 100
    assert [name for name, writes, _empties in tables if not writes] == []
    assert [name for name, _writes, empties in tables if empties] == []


def test_a_role_given_or_taken_by_sql_is_on_record_and_the_record_stays(app_role):
    """Insider review 2026-12-05: with the role's SQL anyone could hand out a role (a civil
    servant moves money) without a trace. The database writes the role log (accounts 0013)."""
    from django.contrib.auth.models import Group

    from accounts import services
    from accounts.models import RoleChange

    person = UserFactory(username="rol-per-sql")
    servants = Group.objects.get(name=Role.CIVIL_SERVANT.value)
    as_app_role(
        lambda: run(
            "INSERT INTO accounts_user_groups (user_id, group_id) VALUES (%s, %s)",
            [person.pk, servants.pk],
        )
    )
    (given,) = RoleChange.objects.filter(user_id=person.pk)
    assert (given.role, given.given, given.actor_id) == (Role.CIVIL_SERVANT.value, True, None)
    assert given.username == person.username and given.database_role
    as_app_role(lambda: run("DELETE FROM accounts_user_groups WHERE user_id = %s", [person.pk]))
    assert list(
        RoleChange.objects.filter(user_id=person.pk).order_by("id").values_list("given", flat=True)
    ) == [True, False]
    # the record cannot be changed or removed, nor a role turned into another
    assert "Cannot update or delete" in refused_as_app_role("DELETE FROM accounts_rolechange")
    assert "Cannot update or delete" in refused_as_app_role(
        "UPDATE accounts_rolechange SET role = 'x'"
    )
    admin_group = Group.objects.get(name=Role.ADMINISTRATOR.value)
    youth = Group.objects.get(name=Role.YOUTH_COUNCIL.value)
    person.groups.add(youth)
    assert "never changed into another" in refused_as_app_role(
        f"UPDATE accounts_user_groups SET group_id = {admin_group.pk} WHERE user_id = {person.pk}"  # noqa: S608
    )
    # through the service: who acted is on record too
    boss = UserFactory(username="beheerder-rol", roles=[Role.ADMINISTRATOR], is_staff=True)
    as_app_role(lambda: services.set_roles(user=person, roles=set(), actor=boss))
    last = RoleChange.objects.filter(user_id=person.pk).latest("id")
    assert (last.role, last.given, last.actor_id) == (Role.YOUTH_COUNCIL.value, False, boss.pk)
    assert last.actor_username == boss.username
