"""Casting votes: the window, the roll, once per person, and the secrecy of the ballot."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils import timezone
from freezegun import freeze_time

from governance import sealing, services
from governance.models import Ballot, Choice, Participation, Proposal, SealedBallot, Side, Vote
from tests.accounts.factories import UserFactory

from .factories import board, count_poll, picked_up_shares, poll, voting

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def open_poll(area, community_member, youth_member):
    return poll(areas=[area])


@pytest.fixture
def board_vote(community_member):
    body, voters = board(members=[community_member])
    return voting(body=body), voters


def _nothing_stored(proposal):
    return not (
        Ballot.objects.filter(proposal=proposal).exists()
        or SealedBallot.objects.filter(proposal=proposal).exists()
        or Participation.objects.filter(proposal=proposal).exists()
        or Vote.objects.filter(proposal=proposal).exists()
    )


# --- The window ------------------------------------------------------------------------------


@pytest.mark.travels_in_time
def test_the_window_before_during_and_after(community_member, civil_servant):
    body, _voters = board(members=[community_member])
    with freeze_time("2025-05-01 10:00:00+00:00"):
        from .factories import in_discussion

        proposal = in_discussion(body=body)
        # before: still under discussion
        assert not community_member.has_perm("governance.vote_proposal", proposal)
        with pytest.raises(ValidationError) as raised:
            services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=community_member)
        assert raised.value.code == "not_open"
        proposal = services.open_voting(
            proposal=proposal,
            closes_at=timezone.now() + timedelta(days=7),
            actor=civil_servant,
        )
    with freeze_time("2025-05-08 09:59:59+00:00"):
        # during: until the last second
        assert community_member.has_perm("governance.vote_proposal", proposal)
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=community_member)
    with freeze_time("2025-05-08 10:00:00+00:00"):
        # after: at the closing time the window is shut
        assert not community_member.has_perm("governance.vote_proposal", proposal)
        with pytest.raises(ValidationError) as raised:
            services.cast_vote(proposal=proposal, choice=Choice.AGAINST, actor=community_member)
        assert raised.value.code == "closed"
    assert Vote.objects.get(proposal=proposal).choice == Choice.FOR


def test_a_closed_poll_refuses_ballots(open_poll, community_member):
    with freeze_time(open_poll.closes_at), pytest.raises(ValidationError):
        services.cast_vote(proposal=open_poll, choice=Choice.FOR, actor=community_member)
    assert _nothing_stored(open_poll)


# --- The roll --------------------------------------------------------------------------------


def test_only_the_roll_votes_in_a_poll(open_poll, civil_servant, advisory_member):
    for outsider in (civil_servant, advisory_member, UserFactory()):
        assert not outsider.has_perm("governance.vote_proposal", open_poll)
        with pytest.raises(ValidationError) as raised:
            services.cast_vote(proposal=open_poll, choice=Choice.FOR, actor=outsider)
        assert raised.value.code == "not_in_electorate"
    assert _nothing_stored(open_poll)


def test_a_community_member_without_a_seat_cannot_vote_in_a_board(board_vote, youth_member):
    proposal, _voters = board_vote
    with pytest.raises(ValidationError):
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=youth_member)
    assert _nothing_stored(proposal)


def test_anonymous_and_nonsense_choices_are_refused(open_poll, community_member):
    with pytest.raises(ValidationError):
        services.cast_vote(proposal=open_poll, choice="misschien", actor=community_member)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValidationError):
        services.cast_vote(proposal=open_poll, choice=Choice.FOR, actor=AnonymousUser())
    assert _nothing_stored(open_poll)


# --- Once per person -------------------------------------------------------------------------


def test_a_poll_vote_can_be_cast_again_and_the_last_counts(open_poll, community_member):
    first = services.cast_vote(proposal=open_poll, choice=Choice.FOR, actor=community_member)
    second = services.cast_vote(proposal=open_poll, choice=Choice.AGAINST, actor=community_member)
    assert first != second
    assert SealedBallot.objects.filter(proposal=open_poll).count() == 2
    assert Participation.objects.filter(user=community_member).count() == 1
    assert community_member.has_perm("governance.vote_proposal", open_poll)
    decision = count_poll(open_poll)
    assert list(Ballot.objects.values_list("choice", "tracking_code")) == [(Choice.AGAINST, second)]
    assert (decision.tally["voor"], decision.tally["tegen"]) == (0, 1)


def test_the_database_refuses_a_second_participation_or_vote(open_poll, board_vote):
    proposal, voters = board_vote
    user = voters[Side.COMMUNITY][0]
    Participation.objects.create(proposal=open_poll, user=user)
    with pytest.raises(IntegrityError):
        Participation.objects.create(proposal=open_poll, user=user)


def test_the_database_refuses_a_second_board_vote(board_vote):
    proposal, voters = board_vote
    user = voters[Side.COMMUNITY][0]
    Vote.objects.create(proposal=proposal, user=user, side="community", choice=Choice.FOR)
    with pytest.raises(IntegrityError):
        Vote.objects.create(proposal=proposal, user=user, side="community", choice=Choice.AGAINST)


def test_a_board_vote_can_be_changed_until_closing(board_vote, community_member):
    proposal, _voters = board_vote
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=community_member)
    services.cast_vote(proposal=proposal, choice=Choice.ABSTAIN, actor=community_member)
    vote = Vote.objects.get(proposal=proposal)
    assert (vote.user, vote.choice, vote.side) == (community_member, Choice.ABSTAIN, "community")
    assert vote.history.count() == 2


# --- Secrecy ---------------------------------------------------------------------------------


def _relations(model):
    return [f for f in model._meta.get_fields() if f.is_relation]


def test_there_is_no_path_from_a_ballot_to_a_voter():
    # A ballot relates to its proposal only; nothing relates to a ballot.
    assert [f.name for f in _relations(Ballot)] == ["proposal"]
    assert not any(f.related_model is Ballot for f in _relations(Participation))
    assert not any(f.related_model is Ballot for f in _relations(User))
    # No time to match against participations, and a random key instead of a counter.
    assert not any(
        isinstance(f, models.DateField | models.DateTimeField) for f in Ballot._meta.fields
    )
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    assert Ballot._meta.ordering == ["id"]
    # No audit trail on ballots or participations (it would record who and when).
    assert not hasattr(Ballot, "history")
    assert not hasattr(Participation, "history")
    assert not hasattr(SealedBallot, "history")
    # A sealed ballot: ciphertext and its poll, no voter, no time.
    assert [f.name for f in _relations(SealedBallot)] == ["proposal"]
    assert {f.name for f in SealedBallot._meta.fields} == {"id", "proposal", "ciphertext"}
    assert not any(
        isinstance(f, models.DateField | models.DateTimeField) for f in Participation._meta.fields
    )


def test_the_admin_does_not_show_ballots_or_participations():
    from django.contrib import admin

    registered = set(admin.site._registry)
    assert Ballot not in registered
    assert Participation not in registered
    assert SealedBallot not in registered
    from governance.models import ParticipationNotice, PollKey, TrusteeShare

    assert PollKey not in registered and TrusteeShare not in registered
    # A notice waiting to be told holds who voted and when: a minute at most, seen by nobody.
    assert ParticipationNotice not in registered


def test_a_sealed_ballot_whose_participation_failed_is_not_counted(
    open_poll, community_member, youth_member, monkeypatch
):
    # given writing the participation fails after the sealed ballot was stored
    services.cast_vote(proposal=open_poll, choice=Choice.AGAINST, actor=youth_member)

    def fail(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr("governance.services.voting._record_participation", fail)
    with pytest.raises(IntegrityError):
        services.cast_vote(proposal=open_poll, choice=Choice.FOR, actor=community_member)
    monkeypatch.undo()
    # then the sealed ballot is there (its own transaction), but the tally drops it
    assert SealedBallot.objects.count() == 2
    assert not Participation.objects.filter(user=community_member).exists()
    decision = count_poll(open_poll)
    assert (decision.tally["voor"], decision.tally["tegen"]) == (0, 1)
    assert Ballot.objects.count() == Participation.objects.count() == 1


def test_a_poll_stores_no_readable_choice_while_open(open_poll, community_member, youth_member):
    services.cast_vote(proposal=open_poll, choice=Choice.FOR, actor=community_member)
    services.cast_vote(proposal=open_poll, choice=Choice.ABSTAIN, actor=youth_member)
    assert not Ballot.objects.exists()
    ciphertexts = [bytes(c) for c in SealedBallot.objects.values_list("ciphertext", flat=True)]
    # only ciphertext, all of one length: no choice, code or voter readable in it
    assert len({len(c) for c in ciphertexts}) == 1
    for ciphertext in ciphertexts:
        for word in (
            Choice.FOR.encode(),
            Choice.ABSTAIN.encode(),
            community_member.username.encode(),
        ):
            assert word not in ciphertext
    assert set(Participation.objects.values_list("user", flat=True)) == {
        community_member.pk,
        youth_member.pk,
    }
    assert not Vote.objects.exists()
    open_poll.refresh_from_db()
    assert open_poll.status == Proposal.Status.VOTING


def test_an_opened_ballot_tells_which_came_last_but_not_when(
    open_poll, community_member, youth_member
):
    """k trustees with a database copy open the sealed ballots (docs/voting-threat-model.md):
    the counter inside orders one voter's own ballots, and gives neither the moment of casting
    (to match with a request log's times) nor the time between two votes."""
    moment = timezone.now()
    with freeze_time(moment):
        services.cast_vote(proposal=open_poll, choice=Choice.FOR, actor=community_member)
        services.cast_vote(proposal=open_poll, choice=Choice.FOR, actor=youth_member)
    with freeze_time(moment + timedelta(seconds=90)):
        services.cast_vote(proposal=open_poll, choice=Choice.AGAINST, actor=community_member)
    key = open_poll.poll_key
    shares = [sealing.parse_share(text) for _trustee, text in picked_up_shares(open_poll)]
    private = sealing.unwrap_private_key(
        shares=shares[: key.threshold],
        wrapped_private_key=bytes(key.wrapped_private_key),
        public_key=bytes(key.public_key),
    )
    opened = [
        sealing.open_ballot(private, bytes(row))
        for row in SealedBallot.objects.values_list("ciphertext", flat=True)
    ]
    tag = sealing.voter_tag(proposal_id=open_poll.pk, user_id=community_member.pk)
    first, again = sorted((b for b in opened if b.tag == tag), key=lambda b: b.counter)
    (other,) = (b for b in opened if b.tag != tag)
    assert (first.choice, again.choice) == (Choice.FOR, Choice.AGAINST)  # the last is highest
    cast_at = int(moment.timestamp()) * 10**9
    day = 86_400 * 10**9
    for ballot in opened:
        assert abs(ballot.counter - cast_at) > day  # not the moment
    assert abs(other.counter - first.counter) > day  # cast together, yet nothing alike
    assert again.counter - first.counter != 90 * 10**9  # nor the time in between
