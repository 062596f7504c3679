"""PostgreSQL numbers the decisions of a year itself: 1, 2, 3 … without a gap, whatever number
an INSERT brings, also when two votes close at the same moment; and a number, once given, stays
(governance migration 0029). The references are printed in the ledger, the reports and open
data, so a gap would look like a decision that went missing."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from governance import selectors, services, tally
from governance.models import Choice, Decision
from tests.clock import wait_until
from tests.governance.factories import adopted, in_discussion, voting

from .concurrency import run_together
from .sql import as_role, refused, refused_as

pytestmark = [pytest.mark.integration]

INSERT = (
    "INSERT INTO governance_decision (proposal_id, outcome, tally, decided_at{columns}) "
    "VALUES (%s, %s, %s, statement_timestamp(){values})"
)


def closed_votes(*choices):
    """A board vote per choice, every seat voting that choice, whose window has ended; not
    closed yet. Voted now, in a window of two seconds that the test then waits out (the
    database takes a vote only inside its window by its own clock, which freeze_time does not
    move: test_vote_window.py)."""
    closes = timezone.now() + timedelta(seconds=2)
    proposals = []
    for choice in choices:
        proposal = services.open_voting(proposal=in_discussion(), closes_at=closes, actor=None)
        for entry in proposal.electorate.select_related("user"):
            services.cast_vote(proposal=proposal, choice=choice, actor=entry.user)
        proposals.append(proposal)
    wait_until(closes)
    return proposals


def true_tally(proposal) -> dict:
    community, institution = selectors.counts(proposal)
    return tally.tally_counts(
        community=community,
        institution=institution,
        electorate=selectors.electorate_size(proposal),
        rule=tally.Rule(**proposal.rule_snapshot),
    ).as_dict()


def insert_by_sql(role: str, proposal, year_number: tuple | None) -> None:
    """The true decision of `proposal`, written by SQL as `role`, with (year, number) or
    without; its deferred checks run before the end."""
    import json  # noqa: PLC0415 - only here

    result = true_tally(proposal)
    columns, values, extra = "", "", []
    if year_number is not None:
        columns, values, extra = ", year, number", ", %s, %s", list(year_number)
    with transaction.atomic():
        as_role(
            role,
            INSERT.format(columns=columns, values=values),
            [proposal.pk, result["outcome"], json.dumps(result), *extra],
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.django_db
def test_a_decision_written_by_sql_gets_the_next_number_of_its_year(app_role):
    year = timezone.localtime().year
    first = adopted(voting(minutes=60)).decision
    assert (first.year, first.number) == (year, 1)
    chosen, bare, other = closed_votes(Choice.FOR, Choice.AGAINST, Choice.FOR)

    # A number chosen by the writer is not the one it gets: the next one is.
    insert_by_sql(app_role, chosen, (year, 99))
    # Without a year and a number: the year in UTC, and the next number.
    insert_by_sql(app_role, bare, None)

    numbers = [(d.year, d.number) for d in Decision.objects.order_by("pk")]
    utc_year = timezone.now().year
    assert numbers[:2] == [(year, 1), (year, 2)]
    assert numbers[2] == (utc_year, 3 if utc_year == year else 1)
    assert Decision.objects.get(proposal=chosen).reference == f"BK-{year}-0002"

    # A year far from the moment of the decision is refused.
    with pytest.raises(Exception, match="is not a decision of 1999"):
        insert_by_sql(app_role, other, (1999, 1))
    assert not Decision.objects.filter(proposal=other).exists()


@pytest.mark.django_db
def test_a_number_and_a_year_once_given_stay(app_role):
    decision = adopted(voting(minutes=60)).decision
    for sql in (
        "UPDATE governance_decision SET number = 7 WHERE id = %s",
        "UPDATE governance_decision SET year = year - 1 WHERE id = %s",
        "UPDATE governance_decision SET number = number + 1, year = year + 1 WHERE id = %s",
    ):
        assert "Cannot update" in refused_as(app_role, sql, [decision.pk])
        # The table's owner too (the app role may not even try to switch triggers off).
        assert "Cannot update" in refused(sql, [decision.pk])
    decision.refresh_from_db()
    assert decision.number == 1


@pytest.mark.django_db(transaction=True)
def test_two_votes_that_close_at_the_same_moment_get_one_and_two():
    proposals = closed_votes(*[Choice.FOR] * 4)

    results = run_together(
        len(proposals),
        lambda i: services.close_voting(proposal=proposals[i], actor=None),
    )

    assert all(isinstance(result, Decision) for result in results), results
    assert sorted(result.number for result in results) == [1, 2, 3, 4]
    # What each caller was given is what the database holds.
    stored = dict(Decision.objects.values_list("pk", "number"))
    assert {result.pk: result.number for result in results} == stored
