"""Closing a vote: the task at the window's end, one decision, a tally that never changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from freezegun import freeze_time

from governance import services, tasks
from governance.models import Ballot, Choice, Decision, Proposal, SealedBallot, Side, Vote
from tests.clock import at_closing

from .factories import board, count_poll, picked_up_shares, poll, voting

pytestmark = pytest.mark.django_db


def test_closing_is_refused_while_the_window_is_open():
    proposal = voting()
    with pytest.raises(ValidationError):
        services.close_voting(actor=None, proposal=proposal)
    assert not Decision.objects.exists()


def test_closing_names_who_closes_the_system_explicitly_and_records_the_civil_servant(
    civil_servant,
):
    proposal = voting()
    with at_closing(proposal.closes_at), pytest.raises(TypeError):
        services.close_voting(proposal=proposal)  # who closes is never left out
    with at_closing(proposal.closes_at):
        services.close_voting(proposal=proposal, actor=civil_servant)
    assert proposal.history.latest().history_user == civil_servant


def test_closing_twice_gives_one_decision():
    body, voters = board(community=3, institution=2)
    proposal = voting(body=body)
    for user in voters[Side.COMMUNITY]:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=user)
    with at_closing(proposal.closes_at):
        first = services.close_voting(actor=None, proposal=proposal)
        second = services.close_voting(actor=None, proposal=proposal)
    assert first.pk == second.pk
    assert Decision.objects.count() == 1
    assert first.adopted
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED


def test_the_task_closes_due_votes_only_and_is_idempotent():
    body, voters = board(community=3, institution=2)
    due = voting(body=body, minutes=5)
    later = voting(body=body, minutes=60)
    services.cast_vote(proposal=due, choice=Choice.FOR, actor=voters[Side.COMMUNITY][0])
    with at_closing(due.closes_at):
        assert tasks.close_due_proposals.delay().get() == 1
        assert tasks.close_due_proposals.delay().get() == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Proposal.Status.REJECTED  # 1 of 5 took part: no quorum
    assert later.status == Proposal.Status.VOTING
    assert Decision.objects.count() == 1


def test_the_beat_schedule_runs_the_task(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["close-due-proposals"]
    assert schedule["task"] == "governance.tasks.close_due_proposals"
    assert schedule["schedule"] <= 60


def test_a_closed_tally_never_changes():
    body, voters = board(community=3, institution=2)
    proposal = voting(body=body)
    for user in voters[Side.COMMUNITY]:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=user)
    with at_closing(proposal.closes_at):
        decision = services.close_voting(actor=None, proposal=proposal)
        stored = dict(decision.tally)
        # a late vote is refused
        with pytest.raises(ValidationError):
            services.cast_vote(
                proposal=proposal, choice=Choice.AGAINST, actor=voters[Side.INSTITUTION][0]
            )
    # changing the rule of the body afterwards does not change the decision
    body.decision_rule.majority_percent = 90
    body.decision_rule.save()
    with at_closing(proposal.closes_at):
        again = services.close_voting(actor=None, proposal=proposal)
    decision.refresh_from_db()
    assert decision.tally == again.tally == stored
    assert Vote.objects.filter(proposal=proposal).count() == 3


def test_the_rule_is_frozen_when_voting_opens():
    body, voters = board(community=3, institution=2)
    proposal = voting(body=body)
    body.decision_rule.majority_percent = 90
    body.decision_rule.save()
    for user in voters[Side.COMMUNITY][:2] + voters[Side.INSTITUTION][:1]:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=user)
    services.cast_vote(proposal=proposal, choice=Choice.AGAINST, actor=voters[Side.COMMUNITY][2])
    with at_closing(proposal.closes_at, tick=True):
        decision = services.close_voting(actor=None, proposal=proposal)
    # 3 of 4 is a 50%+1 majority, though not a 90% one
    assert decision.adopted


def test_the_decision_stores_numbers_and_explains_in_each_language():
    body, voters = board(community=3, institution=2)
    proposal = voting(body=body)
    for user in voters[Side.COMMUNITY]:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=user)
    services.cast_vote(proposal=proposal, choice=Choice.AGAINST, actor=voters[Side.INSTITUTION][0])
    with at_closing(proposal.closes_at, tick=True):
        decision = services.close_voting(actor=None, proposal=proposal)
    assert decision.tally["voor"] == 3 and decision.tally["tegen"] == 1
    assert not any(isinstance(value, str) and " " in value for value in decision.tally.values())
    with translation.override("en"):
        assert decision.explanation == (
            "Adopted. 3 of the 4 votes were in favour. At least 3 votes in favour were needed. "
            "4 of the 5 people who could vote have voted. At least 3 people had to vote. "
            "3 of the 3 votes from the community were in favour. "
            "At least 2 votes in favour from the community were needed."
        )
    assert decision.reference.startswith("BK-")


def test_a_poll_tally_equals_the_counted_ballots_which_are_new_rows(
    area, community_member, youth_member
):
    proposal = poll(areas=[area])
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=community_member)
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=youth_member)
    sealed_keys = set(SealedBallot.objects.values_list("pk", flat=True))
    decision = count_poll(proposal)
    assert decision.adopted
    assert (
        decision.tally["voor"]
        == Ballot.objects.filter(proposal=proposal, choice=Choice.FOR).count()
    )
    assert decision.tally["electorate"] == 2
    assert not sealed_keys & set(Ballot.objects.values_list("pk", flat=True))
    assert not SealedBallot.objects.exists()


def test_a_withdrawn_vote_is_not_closed(civil_servant):
    proposal = voting(minutes=5)
    services.withdraw_proposal(proposal=proposal, reason="Fout", actor=civil_servant)
    with at_closing(proposal.closes_at):
        assert tasks.close_due_proposals() == 0
    assert not Decision.objects.exists()


def test_a_count_on_a_server_whose_clock_runs_behind_is_dated_at_the_closing_time(
    area, community_member
):
    # The poll was closed at its closing time; the trustees' count runs on a worker whose clock
    # is five minutes behind: the decision is not dated before the vote closed (the database
    # refuses such a date: tests/integration/test_closing_time.py).
    proposal = poll(areas=[area])
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=community_member)
    with at_closing(proposal.closes_at):
        services.close_voting(actor=None, proposal=proposal)
    for trustee, share in picked_up_shares(proposal)[: proposal.poll_key.threshold]:
        services.enter_share(proposal=proposal, share=share, actor=trustee)
    with freeze_time(proposal.closes_at - timedelta(minutes=5)):
        decision = services.tally_poll(proposal=proposal)
    assert decision.decided_at == proposal.closes_at
    assert decision.adopted
