"""The events of governance's state changes (`notifications.emit`), one per change, written in
the change's transaction (a participation's: by the beat from the notice written with it, see
`tell_participations`). Never a choice or a receipt code: a participation event says only
that someone took part."""

import logging
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications import services as notifications
from notifications.messages import in_each_language, moment_in_each_language
from notifications.models import Channel, Event, Kind, Notification

from . import selectors
from .models import (
    Decision,
    ElectorateEntry,
    OfficerShift,
    Participation,
    ParticipationNotice,
    Proposal,
    TrusteeShare,
    Vote,
)

logger = logging.getLogger(__name__)


def _subject(proposal: Proposal) -> str:
    return f"governance.proposal:{proposal.pk}"


def _moment(value) -> dict[str, str]:
    return moment_in_each_language(value)


def _people(ids) -> list[User]:
    return list(User.objects.filter(pk__in=list(ids), is_active=True))


def _electorate(proposal: Proposal) -> set[int]:
    return set(ElectorateEntry.objects.filter(proposal=proposal).values_list("user_id", flat=True))


def _participants(proposal: Proposal) -> set[int]:
    if proposal.is_poll:
        return set(selectors.poll_roll(proposal.areas.all()))
    return {user_id for user_id, _side in selectors.board_roll(proposal.body)}


def discussion_started(proposal: Proposal) -> Event:
    """Who can take part: a poll's verified members of its areas, a body's seat holders."""
    ids = _participants(proposal) | {proposal.created_by_id}
    return notifications.emit(
        kind=Kind.PROPOSAL_DISCUSSION,
        subject=_subject(proposal),
        url=proposal.get_absolute_url(),
        recipients=_people(ids),
        data={"title": proposal.title},
    )


def voting_opened(proposal: Proposal) -> Event:
    """To everyone on the frozen roll."""
    return notifications.emit(
        kind=Kind.VOTING_OPENED,
        subject=_subject(proposal),
        url=proposal.get_absolute_url(),
        recipients=_people(_electorate(proposal)),
        data={"title": proposal.title, "closes_at": _moment(proposal.closes_at)},
    )


def voting_closing(proposal: Proposal) -> Event:
    """To those on the roll who have not voted yet (who took part is known; what, never)."""
    voted = Participation if proposal.is_poll else Vote
    done = set(voted.objects.filter(proposal=proposal).values_list("user_id", flat=True))
    return notifications.emit(
        kind=Kind.VOTING_CLOSING,
        subject=_subject(proposal),
        url=proposal.get_absolute_url(),
        recipients=_people(_electorate(proposal) - done),
        data={"title": proposal.title, "closes_at": _moment(proposal.closes_at)},
    )


def decision_taken(proposal: Proposal, decision: Decision) -> Event:
    """To the electorate and the proposer, with the outcome explained in words."""
    return notifications.emit(
        kind=Kind.DECISION_TAKEN,
        subject=_subject(proposal),
        url=proposal.get_absolute_url(),
        recipients=_people(_electorate(proposal) | {proposal.created_by_id}),
        data={
            "title": proposal.title,
            "outcome": decision.outcome,
            "reference": decision.reference,
            "explanation": in_each_language(lambda: decision.explanation),
        },
    )


def contribution_posted(proposal: Proposal, comment) -> Event | None:
    """A comment or advice, to the proposal's author (not when the author wrote it)."""
    if proposal.created_by_id is None or proposal.created_by_id == comment.author_id:
        return None
    kind = Kind.COMMENT if comment.kind == comment.Kind.COMMENT else Kind.ADVICE
    return notifications.emit(
        kind=kind,
        subject=f"governance.comment:{comment.pk}",
        url=proposal.get_absolute_url(),
        recipients=_people({proposal.created_by_id}),
        data={"title": proposal.title},
    )


def withdrawn(proposal: Proposal, *, was_public: bool) -> Event:
    """To whoever was told about it (the roll, or who could take part; a draft: nobody) and
    the proposer."""
    ids = _electorate(proposal)
    if not ids and was_public:
        ids = _participants(proposal)
    return notifications.emit(
        kind=Kind.PROPOSAL_WITHDRAWN,
        subject=_subject(proposal),
        url=proposal.get_absolute_url(),
        recipients=_people(ids | {proposal.created_by_id}),
        data={"title": proposal.title, "reason": proposal.withdraw_reason},
    )


def location_closed(location) -> Event | None:
    """To the officers with a shift at the location that has not ended (none: no event)."""
    officers = OfficerShift.objects.filter(location=location, ends_at__gt=timezone.now())
    people = _people(officers.values_list("officer_id", flat=True))
    if not people:
        return None
    return notifications.emit(
        kind=Kind.LOCATION_CLOSED,
        subject=f"governance.location:{location.pk}",
        url=reverse("my_shifts"),
        recipients=people,
        data={"location": location.name, "reason": location.closed_reason},
    )


def _tell_officer(shift: OfficerShift, kind: str, data: dict) -> Event | None:
    """One event about `shift` to its officer (none for an officer who is not active), with
    where and when it starts, leading to their shifts."""
    people = _people([shift.officer_id])
    if not people:
        return None
    return notifications.emit(
        kind=kind,
        subject=f"governance.shift:{shift.pk}",
        url=reverse("my_shifts"),
        recipients=people,
        data={"location": shift.location.name, "starts": _moment(shift.starts_at), **data},
    )


def shift_added(shift: OfficerShift) -> Event | None:
    """To the officer of a new shift: where, when and which task (not for a shift recorded
    after it ended)."""
    if shift.ends_at <= timezone.now():
        return None
    return _tell_officer(
        shift,
        Kind.SHIFT_ADDED,
        {
            "address": shift.location.address,
            "ends": _moment(shift.ends_at),
            "task": in_each_language(shift.get_task_display),
            "appointed_by": shift.appointed_by,
        },
    )


def shift_cancelled(shift: OfficerShift, reason: str) -> Event | None:
    """To the officer of a shift that is taken back, before it goes: which one and why."""
    return _tell_officer(shift, Kind.SHIFT_CANCELLED, {"reason": reason})


def shift_changed(shift: OfficerShift, *, before: OfficerShift, reason: str) -> Event | None:
    """To the officer of a shift whose time or task changed: what it was, what it is and why."""
    return _tell_officer(
        shift,
        Kind.SHIFT_CHANGED,
        {
            "ends": _moment(shift.ends_at),
            "task": in_each_language(shift.get_task_display),
            "was_starts": _moment(before.starts_at),
            "was_ends": _moment(before.ends_at),
            "was_task": in_each_language(before.get_task_display),
            "reason": reason,
        },
    )


def keys_needed(proposal: Proposal) -> Event:
    """A sealed poll has closed: its trustees enter their keys so that it can be counted."""
    trustees = TrusteeShare.objects.filter(proposal=proposal).values_list("trustee_id", flat=True)
    return notifications.emit(
        kind=Kind.KEYS_NEEDED,
        subject=_subject(proposal),
        url=reverse("governance:enter_share", args=[proposal.pk]),
        recipients=_people(trustees),
        data={"title": proposal.title},
    )


def carried_out(proposal: Proposal) -> Event:
    """To the proposer (an allocation's money is now booked for the initiative)."""
    return notifications.emit(
        kind=Kind.DECISION_CARRIED_OUT,
        subject=_subject(proposal),
        url=proposal.get_absolute_url(),
        recipients=_people({proposal.created_by_id}),
        data={"title": proposal.title},
    )


def tell_participations(batch: int = 500) -> int:
    """Write the messages of the waiting "you took part" notices (`ParticipationNotice`, written
    with each participation), oldest first, and mark each told by its voter's message; returns
    how many were told.

    Run by the beat (`governance.tell_participations`, every 30 seconds; under `make run` by
    the web process). A batch takes a few queries however many notices it holds. Safe to run
    twice or at once: each run takes its notices under a lock that another run skips
    (PostgreSQL), and a voter who was told already (by an older run or the old task) is not
    told again: their notice points at that message.
    """
    told, after = 0, 0
    while True:
        with transaction.atomic():
            waiting = ParticipationNotice.objects.select_for_update(skip_locked=True)
            waiting = waiting.filter(told__isnull=True, pk__gt=after).order_by("id")
            notices = list(waiting[:batch])
            if not notices:
                return told
            told += _tell(notices)
            after = notices[-1].pk


def _tell(notices: list[ParticipationNotice]) -> int:
    """One message per voter and poll of `notices` not told before, to that voter; each notice
    then points at its voter's message on the site. Returns how many notices were told."""
    proposals = Proposal.objects.only("pk", "title").in_bulk({n.proposal_id for n in notices})
    voters = User.objects.in_bulk({n.user_id for n in notices})
    subjects = {pk: f"{_subject(proposal)}:participation" for pk, proposal in proposals.items()}
    done = {
        (subject, user_id): pk
        for subject, user_id, pk in Notification.objects.filter(
            event__kind=Kind.PARTICIPATION,
            event__subject__in=subjects.values(),
            user_id__in=voters,
            channel=Channel.SITE,
        ).values_list("event__subject", "user_id", "pk")
    }
    # (A message of the old task may name a proposal or voter that is gone: told to nobody.)
    notices = [n for n in notices if n.proposal_id in proposals and n.user_id in voters]
    events, new = [], {}
    for notice in notices:
        key = (subjects[notice.proposal_id], notice.user_id)
        if key in done or key in new:
            continue
        proposal = proposals[notice.proposal_id]
        data = {"title": proposal.title, "moment": _moment(notice.moment)}
        new[key] = len(events)
        events.append((key[0], proposal.get_absolute_url(), voters[notice.user_id], data))
    made = notifications.emit_each(kind=Kind.PARTICIPATION, events=events)
    messages = notifications.site_messages(made)
    done.update({key: messages.get(made[i].pk) for key, i in new.items()})
    for notice in notices:
        notice.told_id = done.get((subjects[notice.proposal_id], notice.user_id))
    # (The old task's notice was never stored: nothing to mark.)
    told = [notice for notice in notices if notice.told_id is not None and notice.pk]
    ParticipationNotice.objects.bulk_update(told, ["told"])
    return len(told)


def record_participation(proposal_id: int, voter_id: int, moment: str) -> None:
    """The "you took part" notice of one participation as the old task queued it, told as the
    beat tells the waiting ones (`_tell`): once, never the choice or the receipt code."""
    with transaction.atomic():
        _tell(
            [
                ParticipationNotice(
                    proposal_id=proposal_id,
                    user_id=voter_id,
                    moment=datetime.fromisoformat(moment),
                )
            ]
        )
