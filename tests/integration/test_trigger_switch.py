"""No session switches our triggers off: what django-pgtrigger's "ignore" allowed any SQL to do.

Every trigger django-pgtrigger installs first asks `_pgtrigger_should_ignore(its name)`, which
reads the session setting `pgtrigger.ignore`. Any role may set a setting of that kind, so two
statements on the application's connection (`SET pgtrigger.ignore = '{…}'`, then an UPDATE)
rewrote the ledger, a carried-out decision or a sealed ballot without any privilege. After every
migrate the question answers "no" (`security/database.py`), and the one place that lifted a
trigger, deleting the sealed ballots once a poll is counted, is a rule of the trigger itself now:
a sealed ballot goes only when its poll's decision is there.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts import services as account_services
from accounts.models import Role
from governance import services
from governance.models import Ballot, Choice, Decision, SealedBallot
from sroi.models import Allocation, Entry
from tests.accounts.factories import AreaFactory, UserFactory
from tests.governance.factories import count_poll, poll

from .test_money_guarantees import executed

pytestmark = [pytest.mark.integration]


def trigger_names() -> list[str]:
    """Every trigger django-pgtrigger installed, by the name the setting would give."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgname FROM pg_trigger "
            "WHERE NOT tgisinternal AND tgname LIKE 'pgtrigger_%%' ORDER BY tgname"
        )
        return [name for (name,) in cursor.fetchall()]


def refused_while_ignoring(sql: str, params=()) -> DatabaseError | None:
    """Run `sql` with every trigger named in `pgtrigger.ignore`, as `pgtrigger.ignore()` does;
    the error if the database refused it (the test's transaction stays usable)."""
    names = "{" + ",".join(trigger_names()) + "}"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [names])
            cursor.execute(sql, params)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    except DatabaseError as error:
        return error
    return None


@pytest.mark.django_db
def test_the_skip_question_answers_no_for_every_trigger():
    names = trigger_names()
    assert len(names) > 20  # the ledger's, the votes', the rounds', the shifts'…
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(names) + "}"]
        )
        cursor.execute(
            "SELECT count(*) FROM unnest(%s::name[]) AS t(name) "
            "WHERE public._pgtrigger_should_ignore(t.name)",
            [names],
        )
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE sroi_entry SET amount = amount * 2 WHERE transaction_id = %(transaction)s",
        "DELETE FROM sroi_entry WHERE transaction_id = %(transaction)s",
        "DELETE FROM sroi_transaction WHERE id = %(transaction)s",
        "UPDATE sroi_allocation SET amount = 1 WHERE id = %(allocation)s",
        "DELETE FROM sroi_allocation WHERE id = %(allocation)s",
        "UPDATE governance_decision SET outcome = 'rejected' WHERE id = %(decision)s",
        "DELETE FROM governance_decision WHERE id = %(decision)s",
    ],
)
def test_naming_the_triggers_in_the_setting_does_not_open_the_ledger(sql):
    servant = UserFactory(username="ambtenaar-schakelaar", roles=[Role.CIVIL_SERVANT])
    decision = executed(servant)
    allocation = decision.allocation
    booked = allocation.transactions.get()
    ids = {"transaction": booked.pk, "allocation": allocation.pk, "decision": decision.pk}
    before = sorted(Entry.objects.filter(transaction=booked).values_list("amount", flat=True))

    error = refused_while_ignoring(sql, ids)

    assert error is not None and "pgtrigger: Cannot" in str(error)
    after = sorted(Entry.objects.filter(transaction=booked).values_list("amount", flat=True))
    assert after == before
    assert Allocation.objects.get(pk=allocation.pk).amount == allocation.amount
    assert Decision.objects.get(pk=decision.pk).executed_at is not None


@pytest.fixture
def voters():
    actor = UserFactory(username="ambtenaar-schakelaar-stem", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name="Gein", slug="gein-schakelaar")
    people = [UserFactory(username=f"schakelaar{i:02d}") for i in range(4)]
    for person in people:
        account_services.verify_member(user=person, area=area, actor=actor)
    return area, people


@pytest.mark.django_db(transaction=True)
def test_sealed_ballots_stay_until_their_poll_is_counted_then_go(voters):
    area, people = voters
    proposal = poll(areas=[area])
    for person in people:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=person)

    for sql in (
        "DELETE FROM governance_sealedballot",
        "UPDATE governance_sealedballot SET ciphertext = ciphertext",
    ):
        error = refused_while_ignoring(sql)
        assert error is not None and "pgtrigger" in str(error), sql
    assert SealedBallot.objects.filter(proposal=proposal).count() == len(people)

    decision = count_poll(proposal)

    assert not SealedBallot.objects.filter(proposal=proposal).exists()
    assert Ballot.objects.filter(proposal=proposal, choice=Choice.FOR).count() == len(people)
    assert decision.result.turnout == len(people)
    for sql in ("UPDATE governance_ballot SET choice = 'against'", "DELETE FROM governance_ballot"):
        error = refused_while_ignoring(sql)
        assert error is not None and "pgtrigger: Cannot" in str(error), sql
    assert Ballot.objects.filter(proposal=proposal, choice=Choice.FOR).count() == len(people)
