"""Counting the paper ballots of a Community Home, with four eyes, and the locations a poll's
result waits for.

A batch is the ballot box of one check-in shift at a location: the officers in a counting shift
count each box apart, and its envelopes must equal that shift's paper check-ins. The location's
total is the sum of its batches. Every count is entered by one officer and confirmed by a second;
a correction is a new count of the same batch with a reason, never an edit. The poll's result
waits until every batch with check-ins (and every count entered) of every offered location is
confirmed, or a civil servant recorded why a location had no votes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from governance.models import (
    CheckIn,
    LocationWithoutVotes,
    OfficerShift,
    PaperCount,
    PaperCountSeal,
    PollKey,
    PollOffering,
    Proposal,
    TrusteeShare,
)
from governance.models.officing import Location
from governance.officing.stations import (
    Station,
    not_on_shift,
    require_offered,
    station_for,
)
from governance.selectors.paper import NUMBERS, locations_waiting, standing_counts
from governance.services import _start_tally


def _require_counting_time(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.get(pk=proposal.pk)
    now = timezone.now()
    closed = proposal.status == Proposal.Status.COUNTING or (
        proposal.status == Proposal.Status.VOTING and now >= proposal.closes_at
    )
    if not closed:
        raise ValidationError(
            _("Paper ballots are counted after voting has closed, before the result is final."),
            code="status",
        )
    return proposal


def _counting_here(station: Station) -> None:
    """The state part of `governance.count_paper` and `governance.record_no_votes`: voting has
    closed, the result is not final, and the poll is offered at the location."""
    _require_counting_time(station.proposal)
    require_offered(station)


def _station_of_count(kwargs: dict) -> Station:
    """The station of the count being confirmed (see `station_for`)."""
    count = PaperCount.objects.select_related("location").get(pk=kwargs["count"].pk)
    where = {"proposal": Proposal(pk=count.proposal_id), "location": count.location}
    return station_for({**kwargs, **where})


def current_count(
    proposal: Proposal, location: Location, shift: OfficerShift | None
) -> PaperCount | None:
    """The count of this batch that stands: the last one, not corrected since."""
    return (
        standing_counts(proposal)
        .filter(location=location, shift=shift)
        .select_related("seal", "entered_by", "shift")
        .first()
    )


def paper_check_ins(
    proposal: Proposal, location: Location, shift: OfficerShift | None = None
) -> int:
    """Residents checked in for a paper ballot at the location (in one batch, if given)."""
    rows = CheckIn.objects.filter(
        proposal=proposal, location=location, channel=CheckIn.Channel.PAPER
    )
    return (rows.filter(shift=shift) if shift is not None else rows).count()


def batch_shifts(proposal: Proposal, location: Location):
    """The check-in shifts at the location during the poll's voting window: its ballot boxes."""
    return OfficerShift.objects.filter(
        location=location,
        task=OfficerShift.Task.CHECK_IN,
        starts_at__lt=proposal.closes_at,
        ends_at__gt=proposal.opens_at,
    ).select_related("officer")


@dataclass(frozen=True)
class Batch:
    """One ballot box as the counting page shows it."""

    shift: OfficerShift
    check_ins: int
    count: PaperCount | None

    @property
    def sealed(self) -> bool:
        return self.count is not None and hasattr(self.count, "seal")


def batches(proposal: Proposal, location: Location) -> list[Batch]:
    """Every batch of the location with its paper check-ins and its standing count (three
    queries, whatever the number of shifts)."""
    check_ins = dict(
        CheckIn.objects.filter(proposal=proposal, location=location, channel=CheckIn.Channel.PAPER)
        .values_list("shift_id")
        .annotate(n=Count("pk"))
    )
    counts = {
        c.shift_id: c
        for c in standing_counts(proposal)
        .filter(location=location)
        .select_related("seal", "entered_by", "seal__confirmed_by")
    }
    return [
        Batch(shift=shift, check_ins=check_ins.get(shift.pk, 0), count=counts.get(shift.pk))
        for shift in batch_shifts(proposal, location).order_by("starts_at", "pk")
    ]


def _require_batch(proposal: Proposal, location: Location, shift) -> OfficerShift:
    if (
        not isinstance(shift, OfficerShift)
        or not batch_shifts(proposal, location).filter(pk=shift.pk).exists()
    ):
        raise ValidationError(
            {"shift": _("Choose a check-in shift of this location during the poll.")}
        )
    return shift


@service(
    "governance.count_paper",
    obj=station_for,
    state=_counting_here,
    who="governance.act_as_officer",
    message=not_on_shift,
)
def enter_paper_count(
    *,
    proposal: Proposal,
    location: Location,
    shift: OfficerShift,
    envelopes: int,
    voor: int,
    tegen: int,
    onthouding: int,
    blank: int,
    invalid: int,
    explanation: str = "",
    replaces: PaperCount | None = None,
    reason: str = "",
    actor: User | None,
) -> PaperCount:
    """An officer in a counting shift at the location enters the count of one batch (the box of
    a check-in shift); a correction names the count it replaces and why (counts are never
    edited). It counts once a second officer confirms it (`confirm_paper_count`)."""
    proposal = _require_counting_time(proposal)
    # The offering's row lock: two officers entering at once for one location take turns.
    PollOffering.objects.select_for_update().get(proposal=proposal, location=location)
    shift = _require_batch(proposal, location, shift)
    numbers = (envelopes, voor, tegen, onthouding, blank, invalid)
    if any(not isinstance(n, int) or n < 0 for n in numbers):
        raise ValidationError(_("Enter whole numbers of 0 or more."), code="numbers")
    standing = current_count(proposal, location, shift)
    if replaces is None and standing is not None:
        raise ValidationError(
            _("This batch has been counted already; enter a correction with a reason."),
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
        shift=shift,
        entered_by=actor,
        **dict(zip(NUMBERS, numbers, strict=True)),
        explanation=(explanation or "").strip(),
        replaces=replaces,
        reason=(reason or "").strip() if replaces is not None else "",
        entered_at=timezone.now(),
    )


def _check_numbers(proposal: Proposal, count: PaperCount) -> int:
    check_ins = paper_check_ins(proposal, count.location, count.shift)
    if count.envelopes > check_ins or count.ballots > check_ins:
        # An explanation covers a ballot taken home, never one more than the people who came.
        raise ValidationError(
            _(
                "There are more envelopes or ballots than people who checked in for a paper "
                "ballot (%(check_ins)d): envelopes %(envelopes)d, ballots %(ballots)d. Count "
                "again; an explanation cannot add votes."
            )
            % {"check_ins": check_ins, "envelopes": count.envelopes, "ballots": count.ballots},
            code="more_than_check_ins",
        )
    if not (check_ins == count.envelopes == count.ballots) and not count.explanation:
        raise ValidationError(
            _(
                "The numbers do not match: check-ins %(check_ins)d, envelopes "
                "%(envelopes)d, ballots %(ballots)d. Count again, or enter a correction with a "
                "written explanation of the difference."
            )
            % {"check_ins": check_ins, "envelopes": count.envelopes, "ballots": count.ballots},
            code="mismatch",
        )
    return check_ins


@service(
    "governance.count_paper",
    obj=_station_of_count,
    state=_counting_here,
    who="governance.act_as_officer",
    message=not_on_shift,
)
def confirm_paper_count(*, count: PaperCount, actor: User | None) -> PaperCountSeal:
    """A second officer (not the one who entered it), in a counting shift at the location,
    confirms and seals a batch's count. Its check-ins, envelopes and ballots must match, or the
    count must carry a written explanation. When this was the last batch the poll waited for
    and its keys are in, the tally starts."""
    count = PaperCount.objects.select_related("proposal", "location", "shift").get(pk=count.pk)
    proposal = _require_counting_time(count.proposal)
    PollOffering.objects.select_for_update().get(proposal=proposal, location=count.location)
    if actor.pk == count.entered_by_id:
        raise ValidationError(
            _("A second officer must confirm the count, not the one who entered it."),
            code="four_eyes",
        )
    standing = current_count(proposal, count.location, count.shift)
    if standing is None or standing.pk != count.pk:
        raise ValidationError(_("This count has been corrected since."), code="stale")
    if PaperCountSeal.objects.filter(count=count).exists():
        raise ValidationError(_("This count has already been confirmed."), code="sealed")
    seal = PaperCountSeal.objects.create(
        count=count,
        confirmed_by=actor,
        check_ins=_check_numbers(proposal, count),
        confirmed_at=timezone.now(),
    )
    if ready_to_count(proposal):
        _start_tally(proposal)
    return seal


@service(
    "governance.record_no_votes",
    obj=station_for,
    state=_counting_here,
    who="governance.manage_locations",
)
def record_location_without_votes(
    *, proposal: Proposal, location: Location, reason: str, actor: User | None
):
    """A civil servant records why an offered location has no paper count, so the poll's
    result does not wait for it."""
    proposal = _require_counting_time(proposal)
    offering = PollOffering.objects.select_for_update().get(proposal=proposal, location=location)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason why there are no votes here.")})
    if standing_counts(proposal).filter(location=location).exists() or paper_check_ins(
        proposal, location
    ):
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


def ready_to_count(proposal: Proposal) -> bool:
    """Every location is done and enough keys are entered: the tally can run."""
    if proposal.status != Proposal.Status.COUNTING or locations_waiting(proposal):
        return False
    key = PollKey.objects.filter(proposal=proposal).first()
    entered = TrusteeShare.objects.filter(proposal=proposal, submitted_box__isnull=False).count()
    return key is not None and entered >= key.threshold
