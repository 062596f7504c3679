"""Every write (and the reads the officers' table needs) for Community Homes: locations, polls
offered there, officers' shifts and check-ins. See `officing_models` for the data and the rule
that a paper vote supersedes an online one without opening either.

An officer acts only in a current shift of theirs at the location named in the URL (never only
in the session), and never checks in someone who staffs that location (themselves included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User

from .models import (
    CheckIn,
    ElectorateEntry,
    Location,
    LocationWithoutVotes,
    OfficerShift,
    PaperCount,
    PaperCountSeal,
    Participation,
    PollOffering,
    Proposal,
)
from .services import _check_window, _require_civil_servant, _share_lock


@dataclass(frozen=True)
class Station:
    """A poll at a location: the object the officers' permissions are asked about."""

    proposal: Proposal
    location: Location


# --- Locations, offerings and shifts (civil servants) -----------------------------------------


@transaction.atomic
def create_location(*, name: str, address: str, opening_hours: str = "", actor) -> Location:
    """Register a location (a Community Home) with its address and opening hours."""
    _require_civil_servant(actor)
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


@transaction.atomic
def offer_poll_at(*, proposal: Proposal, location: Location, actor) -> PollOffering:
    """Offer a poll at a location, before voting has closed. Offering twice changes nothing."""
    _require_civil_servant(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
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


@transaction.atomic
def add_shift(
    *,
    officer: User,
    location: Location,
    starts_at: datetime,
    ends_at: datetime,
    task: str,
    appointed_by: str,
    actor,
) -> OfficerShift:
    """Record an officer's shift (chosen by the community board) at a location."""
    _require_civil_servant(actor)
    errors = {}
    if task not in OfficerShift.Task.values:
        errors["task"] = _("Choose the task of the shift.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The shift must end after it starts.")
    if not (appointed_by or "").strip():
        errors["appointed_by"] = _("Name the decision of the community board that chose them.")
    if officer is None or not officer.is_active:
        errors["officer"] = _("Choose an active account for the officer.")
    elif not rules.has_perm("governance.act_as_officer", officer):  # issue 15: verified
        errors["officer"] = _("This person is not verified to act as an officer.")
    if errors:
        raise ValidationError(errors)
    shift = OfficerShift(
        officer=officer,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
        task=task,
        appointed_by=appointed_by.strip(),
    )
    shift._history_user = actor
    shift.save()
    return shift


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


def poll_card_number(entry: ElectorateEntry) -> str:
    """The number printed on a resident's poll card: the roll entry and a keyed check, so a
    number cannot be guessed from another, e.g. "1234-7K2Q9A"."""
    check = salted_hmac("governance.officing.poll-card", str(entry.pk)).hexdigest()[:6].upper()
    return f"{entry.pk}-{check}"


def _entry_for_card(proposal: Proposal, number: str) -> ElectorateEntry | None:
    head, _sep, check = (number or "").strip().upper().partition("-")
    if not head.isdigit() or not check:
        return None
    entry = (
        ElectorateEntry.objects.filter(proposal=proposal, pk=int(head))
        .select_related("user")
        .first()
    )
    if entry is None or not constant_time_compare(poll_card_number(entry), f"{head}-{check}"):
        return None
    return entry


@dataclass(frozen=True)
class RollMatch:
    """A resident on the roll as the officer sees them: no choice, only whether they took part."""

    user: User
    took_part_online: bool
    check_in: CheckIn | None


def find_on_roll(*, proposal: Proposal, query: str, limit: int = 20) -> list[RollMatch]:
    """Residents on the frozen roll matching a poll card number, or a name (first and last
    name, or the user name). Nobody outside the roll is ever found."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    entry = _entry_for_card(proposal, query)
    if entry is not None:
        entries = [entry]
    else:
        words = query.split()
        entries_qs = ElectorateEntry.objects.filter(proposal=proposal).select_related("user")
        for word in words:
            entries_qs = entries_qs.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__username__iexact=word)
            )
        entries = list(entries_qs.order_by("user__last_name", "user__first_name")[:limit])
    user_ids = [e.user_id for e in entries]
    participants = dict(
        Participation.objects.filter(proposal=proposal, user_id__in=user_ids).values_list(
            "user_id", "channel"
        )
    )
    check_ins = {
        c.voter_id: c
        for c in CheckIn.objects.filter(proposal=proposal, voter_id__in=user_ids).select_related(
            "location"
        )
    }
    return [
        RollMatch(
            user=e.user,
            took_part_online=participants.get(e.user_id) == Participation.Channel.ONLINE,
            check_in=check_ins.get(e.user_id),
        )
        for e in entries
    ]


# --- Check-in ------------------------------------------------------------------------------------


def _require_station(proposal: Proposal, location: Location, actor, task: str, at) -> OfficerShift:
    shift = current_shift(officer=actor, location=location, task=task, at=at)
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


def check_in(
    *,
    proposal: Proposal,
    location: Location,
    voter: User,
    channel: str,
    identity_check: str,
    actor,
    at: datetime | None = None,
) -> CheckIn:
    """Check a resident in at the table: on the frozen roll, once per poll (the database keeps
    that promise; two officers at the same moment record one). Paper after an online vote
    supersedes the online ballot (left out at the tally, never opened now); the participation
    is written here when there was none. `at` (the demo only) is a moment in the past."""
    now = at or timezone.now()
    if channel not in CheckIn.Channel.values:
        raise ValidationError({"channel": _("Choose paper or assisted voting.")})
    if identity_check not in CheckIn.IdentityCheck.values:
        raise ValidationError({"identity_check": _("Say how you checked who this is.")})
    try:
        with transaction.atomic():
            return _check_in(proposal, location, voter, channel, identity_check, actor, now)
    except IntegrityError as error:
        # SQLite has no row locks: the unique constraint refused the second of two at once.
        raise ValidationError(_already(proposal, voter), code="checked_in") from error


def _already(proposal: Proposal, voter: User) -> str:
    done = CheckIn.objects.filter(proposal=proposal, voter=voter).select_related("location")
    where = done.first().location if done.exists() else None
    if where is None:
        return _("This resident has already been checked in for this poll.")
    return _("This resident has already been checked in for this poll, at %(location)s.") % {
        "location": where
    }


def _check_in(proposal, location, voter, channel, identity_check, actor, now) -> CheckIn:
    shift = _require_station(proposal, location, actor, OfficerShift.Task.CHECK_IN, now)
    proposal = _share_lock(proposal)  # closing waits for a check-in in progress
    _check_window(proposal, now)
    # The roll entry's row lock: a second officer checking in the same resident waits here.
    entry = ElectorateEntry.objects.select_for_update().filter(proposal=proposal, user=voter)
    if not entry.exists():
        raise ValidationError(
            _("This resident is not on the roll of this poll (frozen when voting opened)."),
            code="not_in_electorate",
        )
    if (
        voter.pk == actor.pk
        or OfficerShift.objects.filter(
            officer=voter,
            location=location,
            starts_at__lt=proposal.closes_at,
            ends_at__gt=proposal.opens_at,
        ).exists()
    ):
        raise ValidationError(
            _("An officer never votes at a location they staff; they vote elsewhere or online."),
            code="officer",
        )
    if CheckIn.objects.filter(proposal=proposal, voter=voter).exists():
        raise ValidationError(_already(proposal, voter), code="checked_in")
    participation = Participation.objects.filter(proposal=proposal, user=voter).first()
    superseded = participation is not None and channel == CheckIn.Channel.PAPER
    if participation is not None and channel == CheckIn.Channel.ASSISTED:
        # An assisted vote is a sealed ballot like an online one: the last counts anyway.
        superseded = False
    row = CheckIn.objects.create(
        proposal=proposal,
        voter=voter,
        location=location,
        shift=shift,
        channel=channel,
        identity_check=identity_check,
        superseded_online=superseded,
        checked_in_at=now,
    )
    if participation is None:
        # An online vote of the same resident may record its participation at this moment (its
        # own transaction, which takes no lock that would tie it to the ballot): the unique
        # constraint then makes us wait for it, and get_or_create finds its row. Either way the
        # paper check-in stands and the tally leaves the online ballot out.
        Participation.objects.get_or_create(
            proposal=proposal, user=voter, defaults={"channel": channel}
        )
    return row


def cast_assisted_ballot(
    *, proposal: Proposal, location: Location, voter: User, choice: str, actor
) -> str:
    """An officer enters the vote of a resident checked in for assisted voting, on the station's
    screen: a sealed ballot like any other (the last counts); the tracking code is returned for
    the resident's receipt."""
    from .models import Choice
    from .services import _cast_sealed_ballot

    if choice not in Choice.values:
        raise ValidationError(_("Choose for, against or abstain."), code="choice")
    _require_station(proposal, location, actor, OfficerShift.Task.CHECK_IN, None)
    if not CheckIn.objects.filter(
        proposal=proposal, voter=voter, location=location, channel=CheckIn.Channel.ASSISTED
    ).exists():
        raise ValidationError(
            _("Check the resident in for assisted voting at this location first."),
            code="not_checked_in",
        )
    return _cast_sealed_ballot(proposal, choice, voter, None, assisted=True)


# --- Paper counts (four eyes) and the locations a poll waits for ------------------------------


def _require_counting_time(proposal: Proposal, at: datetime | None = None) -> Proposal:
    proposal = Proposal.objects.get(pk=proposal.pk)
    now = at or timezone.now()
    closed = proposal.status == Proposal.Status.COUNTING or (
        proposal.status == Proposal.Status.VOTING and now >= proposal.closes_at
    )
    if not closed:
        raise ValidationError(
            _("Paper ballots are counted after voting has closed, before the result is final."),
            code="status",
        )
    return proposal


def current_count(proposal: Proposal, location: Location) -> PaperCount | None:
    """The paper count of this location that stands: the last one, not corrected since."""
    return (
        PaperCount.objects.filter(proposal=proposal, location=location, corrected_by__isnull=True)
        .select_related("seal", "entered_by")
        .first()
    )


def paper_check_ins(proposal: Proposal, location: Location) -> int:
    return CheckIn.objects.filter(
        proposal=proposal, location=location, channel=CheckIn.Channel.PAPER
    ).count()


@transaction.atomic
def enter_paper_count(
    *,
    proposal: Proposal,
    location: Location,
    envelopes: int,
    voor: int,
    tegen: int,
    onthouding: int,
    blank: int,
    invalid: int,
    explanation: str = "",
    replaces: PaperCount | None = None,
    reason: str = "",
    actor,
    at: datetime | None = None,
) -> PaperCount:
    """An officer in a counting shift at the location enters the paper count; a correction
    names the count it replaces and why (counts are never edited). It counts once a second
    officer confirms it (`confirm_paper_count`). `at` (the demo only) is a moment in the past."""
    _require_station(proposal, location, actor, OfficerShift.Task.COUNTING, at)
    proposal = _require_counting_time(proposal, at)
    # The offering's row lock: two officers entering at once for one location take turns.
    PollOffering.objects.select_for_update().get(proposal=proposal, location=location)
    numbers = (envelopes, voor, tegen, onthouding, blank, invalid)
    if any(not isinstance(n, int) or n < 0 for n in numbers):
        raise ValidationError(_("Enter whole numbers of 0 or more."), code="numbers")
    standing = current_count(proposal, location)
    if replaces is None and standing is not None:
        raise ValidationError(
            _("A count has already been entered here; enter a correction with a reason."),
            code="exists",
        )
    if replaces is not None:
        if standing is None or replaces.pk != standing.pk:
            raise ValidationError(_("Only the count that stands can be corrected."), code="stale")
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Give the reason for the correction.")})
    return PaperCount.objects.create(
        proposal=proposal,
        location=location,
        entered_by=actor,
        envelopes=envelopes,
        voor=voor,
        tegen=tegen,
        onthouding=onthouding,
        blank=blank,
        invalid=invalid,
        explanation=(explanation or "").strip(),
        replaces=replaces,
        reason=(reason or "").strip() if replaces is not None else "",
        entered_at=at or timezone.now(),
    )


def confirm_paper_count(*, count: PaperCount, actor, at: datetime | None = None) -> PaperCountSeal:
    """A second officer (not the one who entered it), in a counting shift at the location,
    confirms and seals the count. Check-ins, envelopes and ballots must match, or the count
    must carry a written explanation. When this was the last location the poll waited for and
    its keys are in, the tally starts."""
    from .services import _start_tally

    with transaction.atomic():
        count = PaperCount.objects.select_related("proposal", "location").get(pk=count.pk)
        _require_station(count.proposal, count.location, actor, OfficerShift.Task.COUNTING, at)
        proposal = _require_counting_time(count.proposal, at)
        PollOffering.objects.select_for_update().get(proposal=proposal, location=count.location)
        if actor.pk == count.entered_by_id:
            raise ValidationError(
                _("A second officer must confirm the count, not the one who entered it."),
                code="four_eyes",
            )
        standing = current_count(proposal, count.location)
        if standing is None or standing.pk != count.pk:
            raise ValidationError(_("This count has been corrected since."), code="stale")
        if PaperCountSeal.objects.filter(count=count).exists():
            raise ValidationError(_("This count has already been confirmed."), code="sealed")
        check_ins = paper_check_ins(proposal, count.location)
        if not (check_ins == count.envelopes == count.ballots) and not count.explanation:
            raise ValidationError(
                _(
                    "The numbers do not match: %(check_ins)d check-ins, %(envelopes)d "
                    "envelopes, %(ballots)d ballots. Count again, or enter a correction with a "
                    "written explanation of the difference."
                )
                % {
                    "check_ins": check_ins,
                    "envelopes": count.envelopes,
                    "ballots": count.ballots,
                },
                code="mismatch",
            )
        seal = PaperCountSeal.objects.create(
            count=count,
            confirmed_by=actor,
            check_ins=check_ins,
            confirmed_at=at or timezone.now(),
        )
        if ready_to_count(proposal):
            _start_tally(proposal)
        return seal


@transaction.atomic
def record_location_without_votes(*, proposal: Proposal, location: Location, reason: str, actor):
    """A civil servant records why an offered location has no paper count, so the poll's
    result does not wait for it."""
    from .services import _start_tally

    _require_civil_servant(actor)
    if actor is None:
        raise ValidationError(_("Only a civil servant can do this."), code="forbidden")
    proposal = _require_counting_time(proposal)
    offering = PollOffering.objects.select_for_update().get(proposal=proposal, location=location)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason why there are no votes here.")})
    if current_count(proposal, location) is not None or paper_check_ins(proposal, location):
        raise ValidationError(
            _("Residents voted here; the officers must count and confirm the ballots."),
            code="has_votes",
        )
    if LocationWithoutVotes.objects.filter(offering=offering).exists():
        raise ValidationError(_("This has already been recorded."), code="done")
    row = LocationWithoutVotes(offering=offering, reason=reason.strip(), recorded_by=actor)
    row.save()
    if ready_to_count(proposal):
        _start_tally(proposal)
    return row


def locations_waiting(proposal: Proposal) -> list[Location]:
    """Offered locations whose paper count is not yet confirmed (and not recorded as without
    votes): the poll's result waits for them."""
    standing = {
        count.location_id: count
        for count in PaperCount.objects.filter(
            proposal=proposal, corrected_by__isnull=True
        ).select_related("seal")
    }
    waiting = []
    for offering in PollOffering.objects.filter(proposal=proposal).select_related(
        "location", "without_votes"
    ):
        if hasattr(offering, "without_votes"):
            continue
        count = standing.get(offering.location_id)
        if count is None or not hasattr(count, "seal"):
            waiting.append(offering.location)
    return waiting


def ready_to_count(proposal: Proposal) -> bool:
    """Every location is done and enough keys are entered: the tally can run."""
    from .models import PollKey, TrusteeShare

    if proposal.status != Proposal.Status.COUNTING or locations_waiting(proposal):
        return False
    key = PollKey.objects.filter(proposal=proposal).first()
    entered = TrusteeShare.objects.filter(proposal=proposal, submitted_box__isnull=False).count()
    return key is not None and entered >= key.threshold


def sealed_paper_counts(proposal: Proposal) -> list[PaperCount]:
    """The paper counts that count: per location the standing one, confirmed."""
    return list(
        PaperCount.objects.filter(proposal=proposal, corrected_by__isnull=True, seal__isnull=False)
        .select_related("location", "seal")
        .order_by("location__name")
    )


@dataclass(frozen=True)
class LocationRow:
    location: Location
    count: PaperCount | None
    without_votes: str
    links: dict


def public_view(proposal: Proposal, user) -> dict | None:
    """What a poll's page shows about its Community Homes: where one can vote; after the
    decision the results per channel (online, paper) and per location; the officer's and the
    civil servant's links. Never who voted, nor any choice before the decision."""
    from .models import Ballot

    offerings = list(
        PollOffering.objects.filter(proposal=proposal)
        .select_related("location", "without_votes")
        .order_by("location__name")
    )
    if not offerings:
        return None
    decided = proposal.is_decided
    counts = {c.location_id: c for c in sealed_paper_counts(proposal)} if decided else {}
    rows = []
    for offering in offerings:
        station = Station(proposal=proposal, location=offering.location)
        links = {
            name: user.has_perm(f"governance.{name}", station)
            for name in ("check_in", "count_paper", "record_no_votes")
        }
        without = getattr(offering, "without_votes", None)
        rows.append(
            LocationRow(
                location=offering.location,
                count=counts.get(offering.location_id),
                without_votes=without.reason if without is not None else "",
                links=links,
            )
        )
    channels = None
    if decided:
        online = dict(
            Ballot.objects.filter(proposal=proposal)
            .values_list("choice")
            .annotate(n=models.Count("pk"))
        )
        paper = {"voor": 0, "tegen": 0, "onthouding": 0}
        for count in counts.values():
            for choice in paper:
                paper[choice] += getattr(count, choice)
        channels = {"online": online, "paper": paper}
    return {
        "rows": rows,
        "channels": channels,
        "waiting": locations_waiting(proposal)
        if proposal.status == Proposal.Status.COUNTING
        else [],
    }
