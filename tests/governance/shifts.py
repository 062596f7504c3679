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
