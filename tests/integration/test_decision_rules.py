"""A decision is what the stored votes give, kept by PostgreSQL (governance migration 0020).

Money leaves a fund only by an adopted decision; so the decision itself must not be writable
with SQL as someone likes it. A DBA with the application's credentials tries: a decision for a
proposal that never went to the vote, an "adopted" with numbers that are not the votes, the true
numbers with the wrong outcome, a looser rule written into the proposal after the votes came in,
an allocation of another amount than the adopted proposal's, a roll made shorter or longer
after voting opened, a vote from outside the roll or on the wrong side, and votes, ballots or
participations changed or added after the decision. Each was accepted before.
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Role
from governance import selectors, services, tally
from governance.models import Choice, Decision, Proposal, Vote
from governance.models.proposals import STILL_OPEN
from sroi.models import Allocation
from tests.accounts.factories import UserFactory
from tests.clock import at_closing, wait_until
from tests.governance.factories import (
    adopted,
    allocation_fields,
    decided,
    draft,
    in_discussion,
    voting,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

UNANIMOUS = tally.tally_counts(
    community=tally.Counts(voor=3), institution=tally.Counts(), electorate=3, rule=tally.Rule()
)


def refused(message: str, sql: str, params) -> None:
    with (
        pytest.raises(DatabaseError, match=message),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred checks, now


def insert_decision(proposal: Proposal, result: dict, outcome: str | None = None) -> tuple:
    return (
        "INSERT INTO governance_decision (proposal_id, outcome, tally, decided_at) "
        "VALUES (%s, %s, %s, statement_timestamp())",
        [proposal.pk, outcome or result["outcome"], json.dumps(result)],
    )


def test_a_decision_for_a_proposal_never_put_to_the_vote_is_refused():
    proposal = draft(**allocation_fields("400.00"))

    # It has no closing time, so no decision comes after it (governance migration 0031) ...
    refused(STILL_OPEN, *insert_decision(proposal, UNANIMOUS.as_dict()))
    # ... and without that rule, the check of the votes refuses it at commit (migration 0020).
    with at_closing(timezone.now()):
        refused("never put to the vote", *insert_decision(proposal, UNANIMOUS.as_dict()))
    assert not Decision.objects.exists()


def test_a_decision_that_is_not_the_votes_is_refused():
    # voted in a window of two seconds, which the test then waits out (a decision comes after
    # the closing time by the database's clock: test_closing_time.py)
    proposal = services.open_voting(
        proposal=in_discussion(**allocation_fields("400.00")),
        closes_at=timezone.now() + timedelta(seconds=2),
        actor=None,
    )
    seats = [entry.user for entry in proposal.electorate.select_related("user")]
    for user, choice in zip(seats, [Choice.FOR, Choice.AGAINST, Choice.AGAINST], strict=False):
        services.cast_vote(proposal=proposal, choice=choice, actor=user)
    wait_until(proposal.closes_at)
    rule = tally.Rule(**proposal.rule_snapshot)
    community, institution = selectors.counts(proposal)
    truth = tally.tally_counts(
        community=community,
        institution=institution,
        electorate=len(seats),
        rule=rule,
    ).as_dict()
    assert truth["outcome"] == tally.REJECTED

    # Numbers made up: every seat for.
    forged = {**truth, "voor": len(seats), "tegen": 0, "community_voor": len(seats)}
    refused("not that of the stored votes", *insert_decision(proposal, forged, tally.ADOPTED))
    # The true numbers, the wrong outcome.
    refused(
        "the votes say rejected",
        *insert_decision(proposal, {**truth, "outcome": tally.ADOPTED}, tally.ADOPTED),
    )
    # A looser rule in the tally than the one frozen when voting opened.
    loose = {**truth, "quorum": tally.QUORUM_NONE, "majority_percent": 50}
    refused("not that of the stored votes", *insert_decision(proposal, loose, tally.ADOPTED))
    # The true decision is accepted.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(*insert_decision(proposal, truth))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert Decision.objects.get(proposal=proposal).outcome == tally.REJECTED


def test_what_was_decided_stays_decided_carried_out_or_not():
    """A rejected decision is never carried out, so "carried out is final" never held it: one
    UPDATE made it "adopted" and a civil servant could then pay it. Now no decision changes its
    outcome, tally, proposal or moment, or goes; a decided proposal keeps its status."""
    fields = allocation_fields("400.00")
    proposal = voting(**fields)
    seats = [entry.user for entry in proposal.electorate.select_related("user")]
    proposal = decided(proposal, dict.fromkeys(seats, Choice.AGAINST))
    decision = proposal.decision
    assert (decision.outcome, decision.executed_at) == (tally.REJECTED, None)
    flipped = {**decision.tally, "outcome": tally.ADOPTED}

    by_id = [decision.pk]
    refused(
        "Cannot update",
        "UPDATE governance_decision SET outcome = %s, tally = %s WHERE id = %s",
        [tally.ADOPTED, json.dumps(flipped), decision.pk],
    )
    refused(
        "Cannot update", "UPDATE governance_decision SET outcome = 'adopted' WHERE id = %s", by_id
    )
    refused(
        "Cannot update",
        "UPDATE governance_decision SET decided_at = decided_at - interval '1 year' WHERE id = %s",
        by_id,
    )
    refused("Cannot delete", "DELETE FROM governance_decision WHERE id = %s", by_id)
    for status in ("adopted", "executed", "voting", "counting"):
        refused(
            "Cannot update",
            "UPDATE governance_proposal SET status = %s WHERE id = %s",
            [status, proposal.pk],
        )
    decision.refresh_from_db()
    proposal.refresh_from_db()
    assert (decision.outcome, proposal.status) == (tally.REJECTED, Proposal.Status.REJECTED)

    # An adopted proposal still becomes carried out (the service), and then nothing else.
    other = adopted(voting(**{**fields, "amount": Decimal("300.00")}))
    refused(
        "Cannot update",
        "UPDATE governance_proposal SET status = 'rejected' WHERE id = %s",
        [other.pk],
    )
    servant = UserFactory(username="ambtenaar-besluit", roles=[Role.CIVIL_SERVANT])
    services.execute_decision(decision=other.decision, actor=servant)
    other.refresh_from_db()
    assert other.status == Proposal.Status.EXECUTED
    refused(
        "Cannot update",
        "UPDATE governance_proposal SET status = 'adopted' WHERE id = %s",
        [other.pk],
    )


def test_the_question_its_money_and_its_rule_are_fixed_once_voting_opened():
    proposal = voting(**allocation_fields("400.00"))
    loose = json.dumps({**proposal.rule_snapshot, "quorum": "none", "community_guarantee": False})

    for sql, params in (
        ("UPDATE governance_proposal SET rule_snapshot = %s WHERE id = %s", [loose, proposal.pk]),
        ("UPDATE governance_proposal SET amount = 40000 WHERE id = %s", [proposal.pk]),
        ("UPDATE governance_proposal SET fund_id = NULL, kind = 'general' WHERE id = %s",
         [proposal.pk]),
        ("UPDATE governance_proposal SET status = 'draft' WHERE id = %s", [proposal.pk]),
    ):  # fmt: skip
        with (
            pytest.raises(DatabaseError, match="pgtrigger"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    proposal.refresh_from_db()
    assert proposal.amount == Decimal("400.00")
    assert proposal.rule_snapshot["quorum"] != "none"
    # What may change still does: the title, and the status forward.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_proposal SET title = 'Nieuwe titel' WHERE id = %s", [proposal.pk]
        )


def test_an_allocation_of_another_amount_than_the_adopted_proposal_is_refused():
    proposal = adopted(voting(**allocation_fields("400.00")))
    decision = proposal.decision
    assert decision.outcome == tally.ADOPTED

    # The decision carried out by hand, with a hundred times the money.
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('sroi_allocation', 'id'))")
        (next_id,) = cursor.fetchone()
    refused(
        "carries out no adopted decision of its fund, initiative and amount",
        "INSERT INTO sroi_allocation (id, fund_id, initiative_id, amount, purpose, "
        "decision_reference, decision_id, decision_line, date, status, created_at) "
        "VALUES (%(id)s, %(fund)s, %(initiative)s, 40000, 'x', %(reference)s, %(decision)s, 0, "
        "CURRENT_DATE, 'open', now()); "
        "UPDATE governance_decision SET executed_at = now(), allocation_id = %(id)s "
        "WHERE id = %(decision)s",
        {
            "id": next_id,
            "fund": proposal.fund_id,
            "initiative": proposal.initiative_id,
            "reference": decision.reference,
            "decision": decision.pk,
        },
    )
    assert not Allocation.objects.exists()


# --- The roll and the votes (governance migration 0021) ---------------------------------------


def test_the_roll_is_frozen_once_voting_opens():
    proposal = voting(**allocation_fields("400.00"))
    entry = proposal.electorate.first()
    outsider = UserFactory(username="niet-op-de-lijst")
    before = proposal.electorate.count()

    # Fewer voters would make the quorum easier; another side would change the guarantee.
    refused("pgtrigger", "DELETE FROM governance_electorateentry WHERE id = %s", [entry.pk])
    refused(
        "pgtrigger",
        "UPDATE governance_electorateentry SET side = 'institution' WHERE id = %s",
        [entry.pk],
    )
    refused(
        "the roll is frozen",
        "INSERT INTO governance_electorateentry (proposal_id, user_id, side) "
        "VALUES (%s, %s, 'community')",
        [proposal.pk, outsider.pk],
    )
    assert proposal.electorate.count() == before


def test_a_vote_comes_from_the_roll_on_its_side_while_voting_is_open():
    proposal = voting(**allocation_fields("400.00"))
    outsider = UserFactory(username="stemt-zonder-zetel")
    institution = proposal.electorate.filter(side="institution")[0]  # the board has two
    insert = (
        "INSERT INTO governance_vote (proposal_id, user_id, side, choice, cast_at) "
        "VALUES (%s, %s, %s, 'for', now())"
    )

    refused("from the roll", insert, [proposal.pk, outsider.pk, "community"])
    # an institution seat counted as community
    refused("from the roll", insert, [proposal.pk, institution.user_id, "community"])
    refused(
        "only someone on the roll takes part",
        "INSERT INTO governance_participation (id, proposal_id, user_id, channel) "
        "VALUES (gen_random_uuid(), %s, %s, 'online')",
        [proposal.pk, outsider.pk],
    )


def test_after_the_decision_no_vote_or_ballot_changes_or_comes():
    proposal = adopted(voting(**allocation_fields("400.00")))
    vote = proposal.votes.first()
    voter = proposal.electorate.exclude(user_id=vote.user_id).first() or proposal.electorate.first()

    refused(
        "while voting is open only",
        "UPDATE governance_vote SET choice = 'against' WHERE id = %s",
        [vote.pk],
    )
    refused("while voting is open only", "DELETE FROM governance_vote WHERE id = %s", [vote.pk])
    refused(
        "after the count",
        "INSERT INTO governance_ballot (id, proposal_id, choice, tracking_code) "
        "VALUES (gen_random_uuid(), %s, 'against', '')",
        [proposal.pk],
    )
    refused(
        "while voting is open only",
        "INSERT INTO governance_sealedballot (id, proposal_id, ciphertext) "
        "VALUES (gen_random_uuid(), %s, '\\x00')",
        [proposal.pk],
    )
    refused(
        "while voting is open only",
        "INSERT INTO governance_participation (id, proposal_id, user_id, channel) "
        "VALUES (gen_random_uuid(), %s, %s, 'online')",
        [proposal.pk, voter.user_id],
    )
    assert Vote.objects.get(pk=vote.pk).choice == Choice.FOR
