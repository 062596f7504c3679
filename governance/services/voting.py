"""Casting a vote: a roll-call vote on a board, or a sealed secret ballot in a poll.

Votes are checked again after they are written, under the lock the database takes for the
foreign key, so a vote can never slip in after the tally was made (see `cast_vote`).
"""

import time
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notify, sealing
from ..models import (
    CheckIn,
    Choice,
    ElectorateEntry,
    Participation,
    PollKey,
    Proposal,
    SealedBallot,
    Vote,
)
from .base import _moment


def _check_window(proposal: Proposal, at: datetime | None = None) -> None:
    now = at or timezone.now()
    if proposal.status != Proposal.Status.VOTING or proposal.opens_at > now:
        if proposal.status == Proposal.Status.COUNTING or proposal.is_decided:
            raise ValidationError(_("Voting on this proposal has closed."), code="closed")
        raise ValidationError(_("Voting on this proposal is not open."), code="not_open")
    if now >= proposal.closes_at:
        raise ValidationError(_("Voting on this proposal has closed."), code="closed")


def cast_vote(*, proposal: Proposal, choice: str, actor, at: datetime | None = None) -> str | None:
    """Record `actor`'s vote; both kinds can be changed until voting closes (the last counts).

    A body's vote is one open row. A poll ballot is sealed (`_cast_sealed_ballot`) and the
    tracking code of the voter's receipt is returned; it is stored nowhere else in readable form.
    Outside the window or outside the roll: a ValidationError, nothing changed.
    `at` (the demo only) records a vote cast earlier, inside a window that is still not closed.
    """
    at = _moment(at) if at is not None else None
    if choice not in Choice.values:
        raise ValidationError(_("Choose for, against or abstain."), code="choice")
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("Log in to vote."), code="anonymous")
    if proposal.is_poll:
        return _cast_sealed_ballot(proposal, choice, actor, at)
    try:
        with transaction.atomic():
            _cast_board_vote(proposal, choice, actor, at)
    except IntegrityError as error:
        # Two requests of the same voter at once: the unique constraint let one through.
        raise ValidationError(
            _("Your vote was being recorded at the same moment; look at the page again."),
            code="twice",
        ) from error
    return None


def _entry(proposal: Proposal, actor) -> ElectorateEntry:
    entry = ElectorateEntry.objects.filter(proposal=proposal, user=actor).first()
    if entry is None:
        raise ValidationError(
            _("You are not on the roll of this vote, so you cannot vote on it."),
            code="not_in_electorate",
        )
    return entry


def _cast_board_vote(proposal: Proposal, choice: str, actor, at: datetime | None) -> None:
    # The row lock makes closing wait for this vote (and this vote wait for closing).
    proposal = Proposal.objects.select_for_update(no_key=True).get(pk=proposal.pk)
    _check_window(proposal, at)
    entry = _entry(proposal, actor)
    vote = Vote.objects.filter(proposal=proposal, user=actor).first()
    if vote is None:
        vote = Vote(proposal=proposal, user=actor, side=entry.side)
    vote.choice = choice
    vote.cast_at = at or timezone.now()
    vote._history_user = actor
    vote.save()


def _share_lock(proposal: Proposal) -> Proposal:
    if connection.vendor == "postgresql":
        # A key-share lock: ballots do not wait for each other, but closing (FOR UPDATE) waits
        # for ballots in progress, and a ballot after closing sees the new status. The foreign
        # keys cannot give this: Django creates them DEFERRABLE INITIALLY DEFERRED, so they are
        # only checked, and locked, at COMMIT.
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT 1 FROM "governance_proposal" WHERE "id" = %s FOR KEY SHARE', [proposal.pk]
            )
    return Proposal.objects.get(pk=proposal.pk)


def _cast_sealed_ballot(
    proposal: Proposal, choice: str, actor, at: datetime | None, *, assisted: bool = False
) -> str:
    """Two transactions, so no transaction id, commit time or WAL record holds both the voter
    and their (sealed) ballot: first the sealed ballot, then the record that `actor` voted.

    The sealed payload holds the choice, a random tracking code, a keyed hash of the voter and a
    counter; the tally keeps the highest counter per voter among those with a participation. So
    a ballot whose participation was refused (voting closed in between) is never counted.
    No history rows: they would record who and when.
    """
    code = sealing.new_tracking_code()
    with transaction.atomic():
        proposal = _share_lock(proposal)
        _check_window(proposal, at)
        _entry(proposal, actor)
        if not assisted and CheckIn.objects.filter(proposal=proposal, voter=actor).exists():
            # Paper (or assisted) first, then online: the vote at the location stands.
            raise ValidationError(
                _(
                    "You have already voted at a Community Home for this poll, so you cannot "
                    "vote online any more."
                ),
                code="voted_at_location",
            )
        key = PollKey.objects.filter(proposal=proposal).first()
        if key is None:
            raise ValidationError(
                _("This poll was opened without a key, so it cannot take secret ballots."),
                code="no_key",
            )
        SealedBallot.objects.create(
            proposal=proposal,
            ciphertext=sealing.seal_ballot(
                public_key=bytes(key.public_key),
                choice=choice,
                tracking_code=code,
                tag=sealing.voter_tag(proposal_id=proposal.pk, user_id=actor.pk),
                counter=time.time_ns(),
            ),
        )
        # Closing cannot have happened since the lock above (it waits for us); checked once
        # more so that SQLite, which has no row locks but serialises writers, keeps it too.
        _check_window(Proposal.objects.get(pk=proposal.pk), at)
    with transaction.atomic():
        proposal = _share_lock(proposal)
        _check_window(proposal, at)
        # A second (changed) vote finds the participation there; a race of two first votes
        # meets the unique constraint, and get_or_create then finds the other one's row.
        _participation, first = Participation.objects.get_or_create(proposal=proposal, user=actor)
        _check_window(Proposal.objects.get(pk=proposal.pk), at)
        if first:
            # In the participation's transaction, not the ballot's: it says who, never what.
            notify.participation_recorded(proposal, actor)
    return code
