"""Reads of a poll's paper counts (Community Homes, `governance.officing.counts`): the counts
that stand, the locations the result waits for, the confirmed totals per location.

Here, below `services` and the officing package, because counting (`services.tally_poll`) and
the bulletin ask them too, and `governance.officing` builds on `governance.services`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import CheckIn, PaperCount, PollOffering, Proposal
from ..models.officing import Location

NUMBERS = ("envelopes", "voor", "tegen", "onthouding", "blank", "invalid")


def standing_counts(proposal: Proposal):
    """The paper counts of the poll that stand: not corrected since."""
    return PaperCount.objects.filter(proposal=proposal, corrected_by__isnull=True)


def locations_waiting(proposal: Proposal) -> list[Location]:
    """Offered locations the poll's result waits for (three queries): a batch with paper
    check-ins or an entered count is not yet confirmed, or nothing was counted and no civil
    servant recorded that the location had no votes."""
    sealed: dict[int, set] = {}
    open_batches: dict[int, set] = {}
    for count in standing_counts(proposal).select_related("seal"):
        target = sealed if hasattr(count, "seal") else open_batches
        target.setdefault(count.location_id, set()).add(count.shift_id)
    for location_id, shift_id in (
        CheckIn.objects.filter(proposal=proposal, channel=CheckIn.Channel.PAPER)
        .values_list("location_id", "shift_id")
        .distinct()
    ):
        done = sealed.get(location_id, set())
        if shift_id not in done and None not in done:  # None: a count of the whole location
            open_batches.setdefault(location_id, set()).add(shift_id)
    waiting = []
    for offering in PollOffering.objects.filter(proposal=proposal).select_related(
        "location", "without_votes"
    ):
        if hasattr(offering, "without_votes"):
            continue
        location_id = offering.location_id
        if open_batches.get(location_id) or not sealed.get(location_id):
            waiting.append(offering.location)
    return waiting


@dataclass
class LocationTotal:
    """The confirmed paper counts of one location, summed over its batches."""

    location: Location
    batches: int = 0
    check_ins: int = 0
    envelopes: int = 0
    voor: int = 0
    tegen: int = 0
    onthouding: int = 0
    blank: int = 0
    invalid: int = 0


def location_totals(proposal: Proposal) -> list[LocationTotal]:
    """Per location the sum of its confirmed batches (one query), by location name."""
    totals: dict[int, LocationTotal] = {}
    for count in (
        standing_counts(proposal)
        .filter(seal__isnull=False)
        .select_related("location", "seal")
        .order_by("location__name", "pk")
    ):
        total = totals.setdefault(count.location_id, LocationTotal(location=count.location))
        total.batches += 1
        total.check_ins += count.seal.check_ins
        for name in NUMBERS:
            setattr(total, name, getattr(total, name) + getattr(count, name))
    return list(totals.values())
