"""Voting under real concurrency on PostgreSQL: row locks and unique constraints, not Python.

Each thread has its own database connection (Django's connections are per thread) and closes it
when done; a `threading.Barrier` makes the threads start together. The tests commit for real
(`transaction=True`), so every thread sees the rows the test made.
"""

import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Role
from governance import services
from governance.models import (
    Ballot,
    Choice,
    Decision,
    ElectorateEntry,
    Participation,
    SealedBallot,
    Vote,
)
from tests.accounts.factories import AreaFactory, UserFactory
from tests.clock import at_closing
from tests.governance.factories import board, count_poll, poll, voting

from .concurrency import run_together, session_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_vote_rate_limit_here(settings):
    # These tests race fifty requests of one voter against the database on purpose; the rate
    # limit on voting (tests/accounts/test_ratelimit_actions.py) would answer most of them first.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "vote": "1000/h"}


User = get_user_model()
CHOICES = (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN)


def post_ballot(make_client: Callable[[], Client], url: str, choice: str):
    response = make_client().post(url, {"choice": choice})
    return response.status_code, response.content.decode()


@pytest.fixture
def civil_servant_user():
    return UserFactory(username="ambtenaar-concurrency", roles=[Role.CIVIL_SERVANT])


@pytest.fixture
def district():
    return AreaFactory(name="Bijlmer-Centrum", slug="bijlmer-centrum-concurrency")


def verified_members(count: int, area, actor, prefix: str) -> list:
    users = User.objects.bulk_create(User(username=f"{prefix}{i:03d}") for i in range(count))
    for user in users:
        account_services.verify_member(user=user, area=area, actor=actor)
    return list(User.objects.filter(username__startswith=prefix).order_by("username"))


# --- One voter, fifty requests at once -------------------------------------------------------


def test_fifty_simultaneous_ballots_of_one_voter_count_exactly_one(district, civil_servant_user):
    (member,) = verified_members(1, district, civil_servant_user, "dubbel")
    proposal = poll(areas=[district])
    url = reverse("governance:vote", args=[proposal.pk])
    make_client = session_client(member)

    results = run_together(50, lambda i: post_ballot(make_client, url, CHOICES[i % 3]))

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    # A secret ballot may be cast again until closing (the last counts): every request gets
    # its receipt, one participation is kept, and the tally counts one ballot.
    statuses = Counter(status for status, _body in results)
    assert statuses == {200: 50}, statuses
    assert Participation.objects.filter(proposal=proposal).count() == 1
    assert Participation.objects.get(proposal=proposal).user_id == member.pk
    assert SealedBallot.objects.filter(proposal=proposal).count() == 50
    decision = count_poll(proposal)
    assert Ballot.objects.filter(proposal=proposal).count() == 1
    assert decision.result.turnout == 1


def test_fifty_simultaneous_board_votes_of_one_member_store_exactly_one(civil_servant_user):
    member = UserFactory(username="bestuurslid-concurrency")
    body, _voters = board(members=[member])
    proposal = voting(body=body)
    url = reverse("governance:vote", args=[proposal.pk])
    make_client = session_client(member)

    results = run_together(50, lambda i: post_ballot(make_client, url, CHOICES[i % 3]))

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    # A roll-call vote may be changed until closing: the requests queue on the proposal's row
    # lock and each one records (or changes) the same single vote; none fails.
    statuses = Counter(status for status, _body in results)
    assert statuses == {302: 50}, statuses
    vote = Vote.objects.get(proposal=proposal, user=member)
    assert vote.choice in CHOICES
    assert Vote.objects.filter(proposal=proposal).count() == 1
    assert vote.history.count() == 50  # one audit row per recorded request, none lost


# --- Many voters at once ---------------------------------------------------------------------


def cast_for(proposal, voters_with_choices, pause: float = 0):
    """Cast each (voter, choice) through the service, `pause` seconds apart; returns the
    (voter id, code) of each refusal."""
    refused = []
    for voter, choice in voters_with_choices:
        time.sleep(pause)
        try:
            services.cast_vote(proposal=proposal, choice=choice, actor=voter)
        except ValidationError as error:
            refused.append((voter.pk, error.code))
    return refused


def assert_tally_matches_ballots(proposal, decision: Decision) -> Counter:
    stored = Counter(Ballot.objects.filter(proposal=proposal).values_list("choice", flat=True))
    result = decision.result
    assert (result.voor, result.tegen, result.onthouding) == (
        stored[Choice.FOR],
        stored[Choice.AGAINST],
        stored[Choice.ABSTAIN],
    )
    assert result.turnout == sum(stored.values())
    assert result.electorate == ElectorateEntry.objects.filter(proposal=proposal).count()
    return stored


def test_two_hundred_voters_at_once_are_all_counted(district, civil_servant_user):
    voters = verified_members(200, district, civil_servant_user, "kiezer")
    proposal = poll(areas=[district])
    assert ElectorateEntry.objects.filter(proposal=proposal).count() == 200
    chosen = {voter.pk: CHOICES[(i * 7) % 3 if i % 5 else 0] for i, voter in enumerate(voters)}
    per_thread = [
        [(voter, chosen[voter.pk]) for voter in voters[start : start + 10]]
        for start in range(0, 200, 10)
    ]

    results = run_together(20, lambda i: cast_for(proposal, per_thread[i]))

    assert all(result == [] for result in results), results
    assert Participation.objects.filter(proposal=proposal).count() == 200
    assert SealedBallot.objects.filter(proposal=proposal).count() == 200
    assert set(Participation.objects.values_list("user_id", flat=True)) == set(chosen)
    expected = Counter(chosen.values())

    decision = count_poll(proposal)

    decision.refresh_from_db()
    assert assert_tally_matches_ballots(proposal, decision) == expected
    assert decision.result.turnout == 200 == Participation.objects.count()


def test_closing_while_ballots_arrive_counts_every_stored_ballot_and_nothing_after(
    district, civil_servant_user
):
    """Close (at the closing time, early in wall-clock terms) while 20 threads are casting:
    each ballot either committed before closing and is counted, or was refused and left
    nothing behind. No ballot or participation slips in after the tally.

    The pauses between casts leave gaps in which closing gets the proposal's row lock, so most
    runs close mid-stream (about half the voters refused). Django makes PostgreSQL foreign keys
    DEFERRABLE INITIALLY DEFERRED: an insert's foreign-key check (and its lock on the proposal
    row) happens only at COMMIT, so it cannot be what makes closing wait."""
    voters = verified_members(200, district, civil_servant_user, "laat")
    proposal = poll(areas=[district])
    per_thread = [
        [(voter, CHOICES[i % 3]) for i, voter in enumerate(voters[start : start + 10])]
        for start in range(0, 200, 10)
    ]
    decisions: list[Decision] = []

    def work(i: int):
        if i == 20:  # the closer: waits for some ballots, then closes mid-stream
            while Participation.objects.filter(proposal=proposal).count() < 40:
                time.sleep(0.005)
            with at_closing(proposal.closes_at, tick=True):
                services.close_voting(actor=None, proposal=proposal)
            return []
        return cast_for(proposal, per_thread[i], pause=0.02)

    results = run_together(21, work)
    decisions.append(count_poll(proposal))

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    refusals = [refusal for result in results for refusal in result]
    assert {code for _pk, code in refusals} <= {"not_open", "closed"}, refusals[:5]
    (decision,) = decisions
    decision.refresh_from_db()
    stored = assert_tally_matches_ballots(proposal, decision)
    participations = Participation.objects.filter(proposal=proposal).count()
    assert participations == sum(stored.values()) == 200 - len(refusals)
    assert participations >= 40
    refused_ids = {pk for pk, _code in refusals}
    voted_ids = set(Participation.objects.values_list("user_id", flat=True))
    assert voted_ids.isdisjoint(refused_ids)
    assert voted_ids | refused_ids == {voter.pk for voter in voters}
