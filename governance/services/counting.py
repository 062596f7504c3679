"""Closing a vote, unlocking a poll with the trustees' key shares, and counting it."""

import contextlib
import random
from datetime import datetime

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common.services import refused_by_the_database, service
from notifications.models import Event, Kind

from .. import notify, sealing, selectors, tally
from ..models import (
    Ballot,
    CheckIn,
    Decision,
    Participation,
    PollKey,
    Proposal,
    SealedBallot,
    TrusteeShare,
)
from ..models.proposals import STILL_OPEN
from ..selectors.paper import locations_waiting
from .base import _lock, _require_status, _save, _status_is


def _decide(proposal: Proposal, at: datetime) -> Decision:
    # Never dated before the closing time (the database refuses that too): a server whose clock
    # runs behind the one that closed the vote still dates its count after the close.
    at = max(at, proposal.closes_at)
    community, institution = selectors.counts(proposal)
    result = tally.tally_counts(
        community=community,
        institution=institution,
        electorate=selectors.electorate_size(proposal),
        rule=tally.Rule(**proposal.rule_snapshot),
    )
    stored = result.as_dict()
    if proposal.is_poll and proposal.offerings.exists():
        # How many came by paper, for the explanation in words (`Decision.explanation`).
        stored.update(selectors.paper_totals(proposal))
    decision = Decision.objects.create(
        proposal=proposal, outcome=result.outcome, tally=stored, decided_at=at
    )
    proposal.status = Proposal.Status.ADOPTED if result.adopted else Proposal.Status.REJECTED
    return decision


def _still_open() -> ValidationError:
    return ValidationError(_("Voting on this proposal is still open."), code="open")


def _closable(proposal: Proposal) -> None:
    """The state part of `governance.close_voting`: the window has ended. A vote closed already
    passes (closing again gives its decision to the system; the rule refuses a person)."""
    if proposal.status == Proposal.Status.COUNTING or proposal.is_decided:
        return
    _require_status(proposal, Proposal.Status.VOTING)
    if timezone.now() < proposal.closes_at:
        raise _still_open()


@service(
    "governance.close_voting",
    obj="proposal",
    load=_lock,
    state=_closable,
    who="governance.prepare_proposal",
    system=True,
)
def close_voting(*, proposal: Proposal, actor: User | None) -> Decision | None:
    """Close a vote whose window has ended. A board vote (or a poll without a key) is tallied
    now and its decision returned; a sealed poll stops taking ballots and waits for its
    trustees' keys (status "being counted"; None is returned). Idempotent: closing again gives
    the existing decision, or None while the poll is being counted.

    `actor` is the civil servant who closes by hand (None: the system, e.g. beat or a page
    that shows a due poll).
    """
    existing = Decision.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    if proposal.status == Proposal.Status.COUNTING:
        return None
    # The database closes a vote by its own clock, which may be behind this server's: then the
    # vote is still open, as the check above says when the clocks agree (nothing is written).
    with refused_by_the_database(STILL_OPEN, _still_open):
        if proposal.is_poll and PollKey.objects.filter(proposal=proposal).exists():
            proposal.status = Proposal.Status.COUNTING
            _save(proposal, actor)
            notify.keys_needed(proposal)
            return None
        decision = _decide(proposal, timezone.now())
        _save(proposal, actor)
        notify.decision_taken(proposal, decision)
        return decision


def close_if_due(proposal: Proposal) -> None:
    """What beat does, done by a page that shows `proposal` (no beat under `make run`)."""
    if proposal.status == Proposal.Status.VOTING and timezone.now() >= proposal.closes_at:
        with contextlib.suppress(ValidationError):  # withdrawn or closed in the meantime
            close_voting(actor=None, proposal=proposal)
        proposal.refresh_from_db()


def close_due_proposals() -> int:
    """Close every vote whose window has ended; safe to run twice or in parallel."""
    closed = 0
    for pk in selectors.due_proposal_ids():
        try:
            close_voting(actor=None, proposal=Proposal(pk=pk))
        except ValidationError:
            continue  # withdrawn or closed by another run in the meantime
        closed += 1
    return closed


def remind_closing_votes(*, within_hours: int = 48) -> int:
    """Once per vote that closes within `within_hours`, remind who has not voted (beat, hourly).
    Idempotent: a vote that has its reminder event gets no second one."""
    sent = 0
    for proposal in selectors.closing_soon(within_hours=within_hours):
        with transaction.atomic():
            locked = _lock(proposal)
            subject = f"governance.proposal:{locked.pk}"
            if locked.status != Proposal.Status.VOTING or (
                Event.objects.filter(subject=subject, kind=Kind.VOTING_CLOSING).exists()
            ):
                continue
            notify.voting_closing(locked)
            sent += 1
    return sent


TRUSTEES_ONLY = gettext_lazy("Only a trustee of this poll can do this.")


@service(
    "governance.pick_up_share",
    obj="proposal",
    load=_lock,
    state=_status_is(Proposal.Status.VOTING, Proposal.Status.COUNTING),
    who="governance.act_as_trustee",
    message=TRUSTEES_ONLY,
)
def pick_up_share(*, proposal: Proposal, actor: User | None) -> str:
    """Give a trustee their share of the poll's key, once; the held copy is erased."""
    share = TrusteeShare.objects.select_for_update().get(proposal=proposal, trustee=actor)
    if share.pickup_box is None:
        raise ValidationError(
            _("You have already seen your key. It is shown only once."), code="seen"
        )
    text = sealing.format_share(sealing.unbox_share("pickup", proposal.pk, share.pickup_box))
    share.pickup_box = None
    share.picked_up_at = timezone.now()
    share._history_user = actor
    share.save()
    return text


def _destroy_key(proposal: Proposal) -> None:
    """Erase the wrapped private key and every share the server holds for a while."""
    PollKey.objects.filter(proposal=proposal).update(
        wrapped_private_key=None, destroyed_at=timezone.now()
    )
    TrusteeShare.objects.filter(proposal=proposal).update(pickup_box=None, submitted_box=None)


def _start_tally(proposal: Proposal) -> None:
    # The task by its name from Celery's registry: tasks.py imports this module, not the reverse.
    tally_poll = current_app.tasks["governance.tasks.tally_poll"]
    transaction.on_commit(lambda: tally_poll.delay(proposal.pk))


def _keys_wanted(proposal: Proposal) -> None:
    """The state part of `governance.enter_share`: the poll is being counted."""
    if proposal.status != Proposal.Status.COUNTING:
        raise ValidationError(
            _("Keys can only be entered after voting has closed, until the votes are counted."),
            code="status",
        )


@service(
    "governance.enter_share",
    obj="proposal",
    load=_lock,
    state=_keys_wanted,
    who="governance.act_as_trustee",
    message=TRUSTEES_ONLY,
)
def enter_share(*, proposal: Proposal, share: str, actor: User | None) -> tuple[int, int]:
    """A trustee enters a share (theirs, or one a fellow trustee gave them) to unlock a closed
    poll. Returns (keys entered, keys needed); with enough keys the tally starts (a task).
    A wrong or repeated key: a ValidationError, nothing stored."""
    key = PollKey.objects.get(proposal=proposal)
    try:
        raw = sealing.parse_share(share)
    except sealing.SealingError as error:
        raise ValidationError(
            {"share": _("This key is not right. Check every letter and digit, and try again.")}
        ) from error
    found = TrusteeShare.objects.filter(
        proposal=proposal, index=sealing.share_index(raw), fingerprint=sealing.fingerprint(raw)
    ).first()
    if found is None:
        raise ValidationError({"share": _("This key does not belong to this poll.")})
    if found.submitted_box is not None:
        raise ValidationError({"share": _("This key has already been entered.")})
    found.submitted_box = sealing.box_share("submitted", proposal.pk, raw)
    found.submitted_by = actor
    found.submitted_at = timezone.now()
    found._history_user = actor
    found.save()
    entered = TrusteeShare.objects.filter(proposal=proposal, submitted_box__isnull=False).count()
    if entered >= key.threshold:
        _start_tally(proposal)
    return entered, key.threshold


def _open_sealed_ballots(proposal: Proposal) -> list:
    """The poll's sealed ballots opened with the trustees' entered keys (at least the threshold);
    the private key exists only inside this call."""
    key = PollKey.objects.select_for_update().get(proposal=proposal)
    entered = [
        sealing.unbox_share("submitted", proposal.pk, row.submitted_box)
        for row in TrusteeShare.objects.filter(proposal=proposal, submitted_box__isnull=False)
    ]
    if len(entered) < key.threshold:
        raise ValidationError(_("Not enough keys have been entered yet."), code="waiting")
    try:
        private = sealing.unwrap_private_key(
            shares=entered[: key.threshold],
            wrapped_private_key=bytes(key.wrapped_private_key),
            public_key=bytes(key.public_key),
        )
        opened = [
            sealing.open_ballot(private, ciphertext)
            for ciphertext in SealedBallot.objects.filter(proposal=proposal).values_list(
                "ciphertext", flat=True
            )
        ]
    except sealing.SealingError as error:
        raise ValidationError(_("The keys do not open this poll."), code="key") from error
    del private
    return opened


def _online_voter_tags(proposal: Proposal) -> set:
    """The tags of the voters whose online ballot counts. A paper check-in supersedes any sealed
    ballot of that voter (online then paper): their tags are left out, so the paper vote in the
    batch counts instead."""
    on_paper = set(
        CheckIn.objects.filter(proposal=proposal, channel=CheckIn.Channel.PAPER).values_list(
            "voter_id", flat=True
        )
    )
    return {
        sealing.voter_tag(proposal_id=proposal.pk, user_id=user_id)
        for user_id in Participation.objects.filter(proposal=proposal).values_list(
            "user_id", flat=True
        )
        if user_id not in on_paper
    }


def tally_poll(*, proposal: Proposal) -> Decision:
    """Count a sealed poll once its trustees have entered enough keys: open every sealed
    ballot, keep the last per voter, write the choices with their tracking codes as new rows in
    random order with fresh keys and decide; then delete the sealed ballots (their trigger
    allows that once the decision is there) and destroy the key. The system does this (a
    task); idempotent: a counted poll gives its decision."""
    with transaction.atomic():
        proposal = _lock(proposal)
        existing = Decision.objects.filter(proposal=proposal).first()
        if existing is not None:
            return existing
        _require_status(proposal, Proposal.Status.COUNTING)
        waiting = locations_waiting(proposal)
        if waiting:
            # Started again when the last location confirms its paper count.
            raise ValidationError(
                _("Waiting for the paper count of: %(locations)s.")
                % {"locations": ", ".join(str(location) for location in waiting)},
                code="locations",
            )
        opened = _open_sealed_ballots(proposal)
        counted = sealing.last_ballot_per_voter(opened, _online_voter_tags(proposal))
        random.SystemRandom().shuffle(counted)
        Ballot.objects.bulk_create(
            Ballot(proposal=proposal, choice=ballot.choice, tracking_code=ballot.tracking_code)
            for ballot in counted
        )
        decision = _decide(proposal, timezone.now())
        # Allowed once the decision is written (the table's trigger checks), and only then.
        SealedBallot.objects.filter(proposal=proposal).delete()
        _destroy_key(proposal)
        _save(proposal, None)
        notify.decision_taken(proposal, decision)
        return decision
