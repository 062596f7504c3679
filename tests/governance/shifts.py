"""Officers' shifts for the Community Home tests: one at a location, and a person in each role
of the permission matrices (an officer on duty there, a trustee of a poll's key)."""

from datetime import timedelta

from django.utils import timezone

from governance import officing
from governance.models import OfficerShift
from tests.accounts.factories import verified_in_person

from .factories import board, poll


def shift_at(location, *, hours=(20, 24), actor=None) -> OfficerShift:
    """A check-in shift of a new verified officer at `location`, from `hours[0]` to `hours[1]`
    hours from now (negative: in the past)."""
    now = timezone.now()
    return officing.add_shift(
        officer=verified_in_person(),
        location=location,
        starts_at=now + timedelta(hours=hours[0]),
        ends_at=now + timedelta(hours=hours[1]),
        task=OfficerShift.Task.CHECK_IN,
        appointed_by="Besluit 1",
        actor=actor,
    )


def person_in_role(role, location, user_for_role, area):
    """A user in `role` (None for anonymous); an officer has a current shift at `location`, a
    trustee holds a share of a poll's key."""
    if role == "officer":
        return shift_at(location, hours=(-1, 2)).officer
    if role == "trustee":
        board(community=3, institution=0)
        return poll(areas=[area]).shares.select_related("trustee").first().trustee
    return user_for_role(role)


def told_of(shift: OfficerShift, *, kind: str, history_type: str, actor, reason: str):
    """Assert that `shift`'s last history record is `history_type` by `actor` for `reason`, and
    that its officer alone got one notice of `kind` on the site, leading to their shifts;
    returns the event."""
    from notifications.models import Channel, Event, Notification

    record = OfficerShift.history.filter(id=shift.pk).order_by("-history_date").first()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        history_type,
        actor,
        reason,
    )
    event = Event.objects.get(kind=kind)
    told = {n.user for n in Notification.objects.filter(event=event, channel=Channel.SITE)}
    assert told == {shift.officer} and event.url == "/diensten/"
    return event


def recorded_shift_moved_ahead(location, *, actor, area, voter) -> OfficerShift:
    """A running shift in which `voter` was checked in for a poll, whose clock was then moved
    to later today (as only SQL could): it looks as if it has not started."""
    from governance.models import CheckIn

    board(community=3, institution=0)
    proposal = poll(areas=[area])
    officing.offer_poll_at(proposal=proposal, location=location, actor=actor)
    shift = shift_at(location, hours=(-1, 2))
    officing.check_in(
        proposal=proposal, location=location, voter=voter,
        channel=CheckIn.Channel.PAPER, identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        actor=shift.officer,
    )  # fmt: skip
    OfficerShift.objects.filter(pk=shift.pk).update(
        starts_at=timezone.now() + timedelta(hours=5), ends_at=timezone.now() + timedelta(hours=6)
    )
    shift.refresh_from_db()
    return shift
