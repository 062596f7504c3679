"""Community Homes: locations and the polls offered there (written by civil servants; the
officers' shifts are written in `governance.officing.shifts`), the reads of shifts, and the
station (a poll at a location) that every officer's permission is asked about. An officer acts
only in a current shift of theirs at the location named in the URL, never only in the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from governance import notify
from governance.models import Location, OfficerShift, PollOffering, Proposal


@dataclass(frozen=True)
class Station:
    """A poll at a location: the object the officers' permissions are asked about."""

    proposal: Proposal
    location: Location
    # Known by a page that loaded the offerings already (None: ask the database).
    offered: bool | None = None


# --- Locations, offerings and shifts (civil servants) -----------------------------------------


@service("governance.manage_locations", system=True)
def create_location(
    *, name: str, address: str, opening_hours: str = "", actor: User | None
) -> Location:
    """Register a location (a Community Home) with its address and opening hours."""
    name, address = (name or "").strip(), (address or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Enter the name of the location.")
    if not address:
        errors["address"] = _("Enter the address of the location.")
    if errors:
        raise ValidationError(errors)
    slug = slugify(name)[:120] or "locatie"
    if Location.objects.filter(Q(name__iexact=name) | Q(slug=slug)).exists():
        raise ValidationError({"name": _("A location with this name already exists.")})
    location = Location(name=name, slug=slug, address=address, opening_hours=opening_hours.strip())
    location._history_user = actor
    location.save()
    return location


CLOSED_REASON_MAX_LENGTH = 500

# A poll in these states can still be voted on or counted at a location where it is offered.
RUNNING = (
    Proposal.Status.CONCEPT,
    Proposal.Status.DISCUSSION,
    Proposal.Status.VOTING,
    Proposal.Status.COUNTING,
)


def _reason(reason: str, limit: int, missing: str) -> str:
    """The reason without spaces around it; refused (on the form's field) when empty or longer
    than `limit`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > limit:
        raise ValidationError(
            {"reason": _("Say why in at most %(max)d characters.") % {"max": limit}}
        )
    return reason


def _locked(location: Location) -> Location:
    """The location read again and locked: closing it and giving it a poll or a shift wait for
    each other, so nothing new lands at a location that closed meanwhile."""
    return Location.objects.select_for_update().get(pk=location.pk)


def require_open(location: Location) -> None:
    """Refuse (code "closed") at a closed location, with its reason."""
    if location.is_closed:
        raise ValidationError(
            _("%(location)s is closed: %(reason)s")
            % {"location": location, "reason": location.closed_reason},
            code="closed",
        )


@service("governance.manage_locations", system=True)
def update_location(
    *, location: Location, address: str, opening_hours: str = "", actor: User | None
) -> Location:
    """Change the address and opening hours of a location (its name and web address stay)."""
    address = (address or "").strip()
    if not address:
        raise ValidationError({"address": _("Enter the address of the location.")})
    location = _locked(location)
    location.address, location.opening_hours = address, (opening_hours or "").strip()
    location._history_user = actor
    location.save()
    return location


@service("governance.manage_locations", system=True)
def close_location(*, location: Location, reason: str, actor: User | None) -> Location:
    """Close a location, saying why. Refused while a poll offered there is not decided or
    withdrawn yet: residents were told they can vote there. Its polls, shifts and counts stay."""
    reason = _reason(reason, CLOSED_REASON_MAX_LENGTH, _("Say why the location closes."))
    location = _locked(location)
    if location.is_closed:
        raise ValidationError(_("This location is closed already."), code="closed")
    running = list(
        PollOffering.objects.filter(location=location, proposal__status__in=RUNNING)
        .order_by("proposal_id")
        .values_list("proposal__title", flat=True)[:4]
    )
    if running:
        raise ValidationError(
            _(
                "A poll offered here is not finished yet: %(polls)s. Close the location when it "
                "is decided or withdrawn."
            )
            % {"polls": "; ".join(running[:3]) + (" …" if len(running) > 3 else "")},
            code="running",
        )
    location.closed_at, location.closed_reason = timezone.now(), reason
    location._history_user = actor
    location.save()
    notify.location_closed(location)  # the officers whose shifts there do not take place
    return location


@service("governance.manage_locations", system=True)
def reopen_location(*, location: Location, actor: User | None) -> Location:
    """Open a closed location again: it can get polls and shifts again."""
    location = _locked(location)
    if not location.is_closed:
        raise ValidationError(_("This location is open already."), code="open")
    location.closed_at, location.closed_reason = None, ""
    location._history_user = actor
    location.save()
    return location


@service("governance.manage_locations", system=True)
def offer_poll_at(*, proposal: Proposal, location: Location, actor: User | None) -> PollOffering:
    """Offer a poll at an open location, before voting has closed. Offering twice changes
    nothing."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    location = _locked(location)
    require_open(location)
    if not proposal.is_poll:
        raise ValidationError(
            _("Only a community-wide poll can be offered at a location."), code="not_poll"
        )
    open_statuses = (Proposal.Status.CONCEPT, Proposal.Status.DISCUSSION, Proposal.Status.VOTING)
    if proposal.status not in open_statuses or (
        proposal.status == Proposal.Status.VOTING and timezone.now() >= proposal.closes_at
    ):
        raise ValidationError(_("This poll can no longer be offered at a location."), code="status")
    offering = PollOffering.objects.filter(proposal=proposal, location=location).first()
    if offering is None:
        offering = PollOffering(proposal=proposal, location=location)
        offering._history_user = actor
        offering.save()
    return offering


def closed_by(location: Location) -> User | None:
    """Who closed `location`, from its history: the first record with its current closing time
    (None while it is open, or when it was closed behind the services' back)."""
    if not location.is_closed:
        return None
    record = (
        location.history.filter(closed_at=location.closed_at)
        .select_related("history_user")
        .order_by("history_date", "history_id")
        .first()
    )
    return record.history_user if record is not None else None


# --- Reads for the officers' table -------------------------------------------------------------


def current_shift(
    *, officer, location: Location, task: str, at: datetime | None = None
) -> OfficerShift | None:
    """The officer's shift at this location for this task that is running now, if any."""
    if officer is None or not officer.is_authenticated:
        return None
    at = at or timezone.now()
    return (
        OfficerShift.objects.filter(
            officer=officer, location=location, task=task, starts_at__lte=at, ends_at__gt=at
        )
        .order_by("starts_at", "pk")
        .first()
    )


def is_offered(proposal: Proposal, location: Location) -> bool:
    return PollOffering.objects.filter(proposal=proposal, location=location).exists()


def locations_to_offer(proposal: Proposal, *, search: str = "", limit: int) -> list[Location]:
    """Up to `limit` open locations where `proposal` is not offered yet, by name; with
    `search`, only names that contain it."""
    locations = (
        Location.objects.filter(closed_at__isnull=True)
        .exclude(offerings__proposal=proposal)
        .order_by("name", "pk")
    )
    if search:
        locations = locations.filter(name__icontains=search)
    return list(locations[:limit])


def station_is_offered(station: Station) -> bool:
    if station.offered is not None:
        return station.offered
    return is_offered(station.proposal, station.location)


_SHIFTS_ATTR = "_officing_shifts"


def shifts_of(user) -> list[OfficerShift]:
    """Every shift of this user, loaded once per user object. A request has its own user
    object, so the permission predicates of a page with many locations ask one query, not one
    per location. Services ask the database (`current_shift`), never this cache."""
    if user is None or not user.is_authenticated:
        return []
    shifts = getattr(user, _SHIFTS_ATTR, None)
    if shifts is None:
        shifts = list(OfficerShift.objects.filter(officer=user).order_by("starts_at", "pk"))
        setattr(user, _SHIFTS_ATTR, shifts)
    return shifts


def forget_shifts(user) -> None:
    """This user object's copy of their shifts (`shifts_of`) is stale: a shift changed."""
    if user is not None:
        user.__dict__.pop(_SHIFTS_ATTR, None)


def _soonest_first(shifts: QuerySet[OfficerShift]) -> QuerySet[OfficerShift]:
    """Running and coming shifts first (soonest first), then past ones (latest first)."""
    now = timezone.now()
    return shifts.annotate(
        past=Case(When(ends_at__lte=now, then=Value(1)), default=Value(0)),
        coming_start=Case(When(ends_at__gt=now, then=F("starts_at"))),
    ).order_by("past", F("coming_start").asc(), F("starts_at").desc(), "pk")


def shifts_at(location: Location) -> QuerySet[OfficerShift]:
    """The shifts at `location`, running and coming ones first, so a paged list opens with the
    shifts a civil servant plans with."""
    return _soonest_first(OfficerShift.objects.filter(location=location).select_related("officer"))


def shifts_of_officer(user) -> QuerySet[OfficerShift]:
    """An officer's own shifts with their locations, running and coming ones first."""
    return _soonest_first(OfficerShift.objects.filter(officer=user).select_related("location"))


def refuse_own_location(
    *, voter, actor, location: Location, opens: datetime, closes: datetime
) -> None:
    """An officer never votes at a location they staff during the vote (nor checks themselves in);
    they vote elsewhere or online. Shared by the polls' check-in and a budget round's paper ballot."""
    if (
        voter.pk == actor.pk
        or OfficerShift.objects.filter(
            officer=voter, location=location, starts_at__lt=closes, ends_at__gt=opens
        ).exists()
    ):
        raise ValidationError(
            _("An officer never votes at a location they staff; they vote elsewhere or online."),
            code="officer",
        )


def is_on_shift(user, location: Location, task: str, at: datetime | None = None) -> bool:
    """Whether the user is in a shift of theirs with this task at this location now."""
    at = at or timezone.now()
    return any(
        shift.location_id == location.pk and shift.task == task and shift.is_current(at)
        for shift in shifts_of(user)
    )


def not_on_shift(kwargs) -> str:
    """The refusal of an officer's service to someone who may not act as an officer: as to an
    officer outside their shift (`location`, or the location of `count`)."""
    location = kwargs["location"] if "location" in kwargs else kwargs["count"].location
    return _("You can only do this during your own shift at %(location)s.") % {"location": location}


def station_for(kwargs: dict) -> Station:
    """The station an officer's service asks its rule of (`@service(obj=...)`): the poll read
    now and the location. The actor's shifts are read again from the database, in the service's
    transaction, not taken from a page's copy (`shifts_of`)."""
    forget_shifts(kwargs.get("actor"))
    proposal = Proposal.objects.get(pk=kwargs["proposal"].pk)
    return Station(proposal=proposal, location=kwargs["location"])


def require_offered(station: Station) -> None:
    """Refuse (code "not_offered") unless the poll is offered at the station's location."""
    if not station_is_offered(station):
        raise ValidationError(
            _("This poll is not offered at %(location)s.") % {"location": station.location},
            code="not_offered",
        )


def _require_station(proposal: Proposal, location: Location, actor, task: str) -> OfficerShift:
    shift = current_shift(officer=actor, location=location, task=task)
    if shift is None:
        raise ValidationError(
            _("You can only do this during your own shift at %(location)s.")
            % {"location": location},
            code="no_shift",
        )
    if not is_offered(proposal, location):
        raise ValidationError(
            _("This poll is not offered at %(location)s.") % {"location": location},
            code="not_offered",
        )
    return shift
