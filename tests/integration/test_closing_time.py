"""A vote closes and is decided, and a budget round is computed, at the closing time and not
before, by PostgreSQL's own clock (governance migration 0031, budgeting 0013), and a vote's
closing time stays what it was when voting opened. Before, the application's database role could
cut a vote short when the count so far looked good: set the proposal to adopted or to counting,
write a decision whose tally matched the votes so far (the votes after it never counted), move
the closing time, or compute a budget round while it still took ballots; and a web server whose
clock ran ahead closed a vote early."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from accounts import services as account_services
from accounts.models import Role
from budgeting import services as budgeting
from budgeting.models import Round
from budgeting.services.adoption import COMPUTED_AFTER_CLOSING
from governance import services
from governance.models import Choice, Decision, Proposal
from tests.accounts.factories import AreaFactory, UserFactory
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.clock import wait_until
from tests.governance.factories import board, in_discussion, poll
from tests.integration.sql import as_role, refused_as

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

STILL_OPEN = "a vote closes and is decided at its closing time, not before"
STILL_VOTING = "a round is computed after voting closes, not before"
# A decision as SQL writes it: the tally of a board vote with one vote for, on a roll of three
# (what the votes so far give, so the check at commit would pass).
DECISION = (
    "INSERT INTO governance_decision (proposal_id, outcome, tally, decided_at, year, number)"
    " VALUES (%s, %s, %s::jsonb, %s, 0, 0)"
)


def _board_vote(seconds: float = 3600):
    """A board vote open for `seconds`, with one community vote for; its other voters."""
    body, voters = board(community=2, institution=1)
    proposal = services.open_voting(
        proposal=in_discussion(body=body),
        closes_at=timezone.now() + timedelta(seconds=seconds),
        actor=None,
    )
    first, *others = voters["community"] + voters["institution"]
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=first)
    return proposal, others


def test_sql_cannot_close_a_board_vote_or_decide_it_before_closing_time(app_role):
    proposal, _others = _board_vote()
    for status in ("adopted", "rejected", "counting"):
        message = refused_as(
            app_role, "UPDATE governance_proposal SET status = %s WHERE id = %s",
            (status, proposal.pk),
        )  # fmt: skip
        assert STILL_OPEN in message
    tally = '{"voor": 1}'
    message = refused_as(app_role, DECISION, (proposal.pk, "adopted", tally, timezone.now()))
    assert STILL_OPEN in message
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.VOTING
    assert not Decision.objects.filter(proposal=proposal).exists()


def test_sql_cannot_move_the_closing_time_once_voting_opens(app_role):
    proposal, _others = _board_vote()
    message = refused_as(
        app_role,
        "UPDATE governance_proposal SET closes_at = now() - interval '1 minute' WHERE id = %s",
        (proposal.pk,),
    )
    assert "Cannot update rows" in message
    assert Proposal.objects.get(pk=proposal.pk).closes_at == proposal.closes_at


def test_a_vote_withdrawn_while_open_stays_withdrawn(app_role):
    # Withdrawing is no decision (its votes are never counted), so it may come before closing
    # time; but no way leads back from it, or withdrawing first would close a vote early.
    proposal, _others = _board_vote()
    sql = "UPDATE governance_proposal SET status = 'withdrawn', withdraw_reason = %s WHERE id = %s"
    assert as_role(app_role, sql, ("Ingetrokken.", proposal.pk)) == 1
    for status in ("adopted", "rejected", "counting", "voting"):
        message = refused_as(
            app_role, "UPDATE governance_proposal SET status = %s WHERE id = %s",
            (status, proposal.pk),
        )  # fmt: skip
        assert "Cannot update rows" in message
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.WITHDRAWN


def test_a_vote_closes_at_its_time_and_its_decision_is_not_back_dated(app_role):
    proposal, _others = _board_vote(seconds=2)
    wait_until(proposal.closes_at)
    before = proposal.closes_at - timedelta(minutes=1)
    message = refused_as(app_role, DECISION, (proposal.pk, "adopted", "{}", before))
    assert STILL_OPEN in message
    decision = services.close_voting(actor=None, proposal=proposal)
    assert decision is not None and decision.decided_at >= proposal.closes_at
    assert Proposal.objects.get(pk=proposal.pk).is_decided


def test_a_web_server_whose_clock_runs_ahead_hears_still_open_and_writes_nothing():
    proposal, others = _board_vote()
    # this server's clock says the vote closed; the database's says it is open for an hour
    with freeze_time(proposal.closes_at + timedelta(minutes=1)):
        with pytest.raises(ValidationError) as refused:
            services.close_voting(actor=None, proposal=proposal)
        assert refused.value.code == "open"
        assert services.close_due_proposals() == 0  # the beat on that server: nothing, no error
    # the caller's copy says what the row says: the service changed only its own locked copy
    assert proposal.status == Proposal.Status.VOTING
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.VOTING
    assert not Decision.objects.filter(proposal=proposal).exists()
    # and the vote goes on: a later vote still counts
    services.cast_vote(proposal=proposal, choice=Choice.AGAINST, actor=others[0])


def test_a_sealed_poll_is_not_put_to_counting_early_by_a_clock_that_runs_ahead():
    clerk = UserFactory(username="ambtenaar-sluiting", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name="Sluiting", slug="sluiting")
    voter = UserFactory(username="kiezer-sluiting")
    account_services.verify_member(user=voter, area=area, actor=clerk)
    proposal = poll(areas=[area])
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=voter)
    with freeze_time(proposal.closes_at), pytest.raises(ValidationError) as refused:
        services.close_voting(actor=None, proposal=proposal)
    assert refused.value.code == "open"
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.VOTING


def test_sql_cannot_compute_a_budget_round_before_voting_closes(app_role, voting_round):
    round, _area, _actor = voting_round
    message = refused_as(
        app_role,
        "UPDATE budgeting_round SET status = 'computed', outcome = '{}'::jsonb,"
        " computed_at = now() WHERE id = %s",
        (round.pk,),
    )
    assert STILL_VOTING in message
    assert Round.objects.get(pk=round.pk).status == Round.Status.VOTING


def test_a_budget_round_s_outcome_is_not_dated_before_closing_time(app_role):
    actor = UserFactory(username="ambtenaar-uitkomst", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name="Uitkomst", slug="uitkomst")
    with freeze_time(timezone.now() - timedelta(days=3)):
        author = resident_of(area, actor, "indiener-uitkomst")
        round = round_in(
            Round.Status.VOTING, area=area, civil_servant=actor, author=author, name="Uitkomst"
        )
    # closed by every clock two days ago; an outcome dated inside the window is still refused
    message = refused_as(
        app_role,
        "UPDATE budgeting_round SET status = 'computed', outcome = '{}'::jsonb,"
        " computed_at = %s WHERE id = %s",
        (round.voting_closes_at - HOUR, round.pk),
    )
    assert STILL_VOTING in message
    round = budgeting.compute_outcome(actor=actor, round=round)
    assert round.status == Round.Status.COMPUTED and round.computed_at >= round.voting_closes_at


def test_a_civil_servant_whose_clock_runs_ahead_hears_voting_has_not_closed(voting_round):
    round, _area, actor = voting_round
    with freeze_time(round.voting_closes_at + HOUR), pytest.raises(ValidationError) as refused:
        budgeting.compute_outcome(actor=actor, round=round)
    assert refused.value.messages == [str(COMPUTED_AFTER_CLOSING)]
    assert round.status == Round.Status.VOTING and round.outcome is None  # the caller's copy
    round.refresh_from_db()
    assert round.status == Round.Status.VOTING and round.computed_at is None
