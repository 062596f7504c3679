"""A decision's reference is BK-<year>-<number>: its place among the decisions of its year,
1, 2, 3 … without gaps, starting again each year (review of 2026-12-06, finding 4: the numbers
were database ids, so a reader of "BK-2025-0001, BK-2025-0004" asked where 2 and 3 went).

On PostgreSQL the database gives the number (tests/integration/test_decision_numbers.py tries
it with SQL and at the same moment); these tests run on both databases
(`scripts/services_on_postgres.py`)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from freezegun import freeze_time

from governance.models import Choice, Decision
from reports import money
from reports.opendata.rows.decisions import decision_row
from tests.governance.factories import adopted, decided, voting

# Every test votes at a moment set with freeze_time (tests/at_commit.py: on PostgreSQL too).
pytestmark = [pytest.mark.django_db, pytest.mark.travels_in_time]


def decision_at(moment: datetime, *, rejected: bool = False) -> Decision:
    """A board vote that closes at `moment` (UTC), adopted (or rejected by every vote
    against)."""
    with freeze_time(moment - timedelta(hours=1)):
        proposal = voting(minutes=60)
        if rejected:
            voters = [entry.user for entry in proposal.electorate.select_related("user")]
            proposal = decided(proposal, dict.fromkeys(voters, Choice.AGAINST))
        else:
            proposal = adopted(proposal)
    return Decision.objects.get(proposal=proposal)


def test_the_decisions_of_a_year_are_numbered_one_two_three_whatever_their_ids():
    first = decision_at(datetime(2026, 3, 1, 12, tzinfo=UTC))
    # A decision of another year in between takes an id, not a number of 2026.
    other_year = decision_at(datetime(2025, 6, 1, 12, tzinfo=UTC))
    second = decision_at(datetime(2026, 4, 1, 12, tzinfo=UTC), rejected=True)
    third = decision_at(datetime(2026, 5, 1, 12, tzinfo=UTC))

    assert second.pk - first.pk > 1  # the ids have a gap, the numbers do not
    assert [first.reference, second.reference, third.reference] == [
        "BK-2026-0001",
        "BK-2026-0002",
        "BK-2026-0003",
    ]
    assert other_year.reference == "BK-2025-0001"
    # The object that was saved knows its number at once, as the database gave it.
    assert Decision.objects.get(pk=third.pk).number == third.number == 3


def test_a_new_year_starts_at_one_and_the_year_is_the_local_one():
    decision_at(datetime(2026, 12, 31, 12, tzinfo=UTC))
    # 23:30 UTC on 31 December is half past midnight on 1 January in Amsterdam.
    new_year = decision_at(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))

    assert (new_year.year, new_year.number) == (2027, 1)
    assert new_year.reference == "BK-2027-0001"


def test_the_report_and_the_open_data_show_the_same_reference():
    decision_at(datetime(2026, 3, 1, 12, tzinfo=UTC))
    decision = decision_at(datetime(2026, 4, 1, 12, tzinfo=UTC))

    refs = money._decision_refs(Decision.objects.filter(pk=decision.pk).values("pk"))
    assert refs[decision.pk].reference == "BK-2026-0002"
    assert decision_row(decision)["referentie"] == "BK-2026-0002"
    assert str(decision).startswith("BK-2026-0002: ")


def test_decisions_from_before_keep_the_reference_they_were_published_with():
    """The migration gives every decision taken before numbers per year its old reference:
    the local year and its id (they are in the ledger, frozen reports and open data)."""
    migration = __import__(
        "governance.migrations.0029_decision_numbers_per_year", fromlist=["keep_published_numbers"]
    )
    decisions = [
        decision_at(datetime(2025, 3, 1, 12, tzinfo=UTC)),
        decision_at(datetime(2026, 3, 1, 12, tzinfo=UTC)),
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # no checks waiting for the end: ALTER TABLE runs
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.keep_published_numbers(apps, editor)

    for decision in decisions:
        decision.refresh_from_db()
        year = decision.decided_at.astimezone(UTC).year
        assert decision.reference == f"BK-{year}-{decision.pk:04d}"
    # A new decision of 2026 comes after the highest number of 2026.
    highest = max(d.number for d in decisions if d.year == 2026)
    assert decision_at(datetime(2026, 4, 1, 12, tzinfo=UTC)).number == highest + 1
