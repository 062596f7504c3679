"""The money the community's decisions gave one initiative: for its public page."""

from dataclasses import dataclass, field
from decimal import Decimal

from sroi import selectors as sroi_selectors
from sroi.models import Allocation

from ..models import Decision

ZERO = Decimal("0.00")
# The initiative's page lists the most recent decisions; the totals count every one.
SHOWN = 10


@dataclass
class InitiativeMoney:
    granted: Decimal = ZERO  # by decisions not cancelled
    paid: Decimal = ZERO  # paid out, less what came back
    open: Decimal = ZERO  # granted and not paid yet
    back: Decimal = ZERO  # granted, and back in the fund: released on closing, or returned
    rows: list = field(default_factory=list)  # the SHOWN most recent allocations
    more: int = 0  # allocations not in `rows`


def initiative_money(initiative) -> InitiativeMoney | None:
    """What the fund gave `initiative`, by decision (two queries; one when it got nothing).

    Each shown allocation carries its fund, `open_amount`, `paid_amount` and `decision` (with
    its proposal, for the link), or None for an allocation whose decision is not found."""
    allocations = list(sroi_selectors.allocations().filter(initiative=initiative))
    if not allocations:
        return None
    money = InitiativeMoney(rows=allocations[:SHOWN], more=max(len(allocations) - SHOWN, 0))
    for allocation in allocations:
        # A cancelled allocation (its booking reversed) gave nothing: shown, not counted.
        if allocation.status != Allocation.Status.CANCELLED:
            money.granted += allocation.amount
            money.paid += allocation.paid_amount or ZERO
            money.open += allocation.open_amount or ZERO
    money.back = money.granted - money.paid - money.open
    decisions = Decision.objects.select_related("proposal").in_bulk(
        {allocation.decision_id for allocation in money.rows}
    )
    for allocation in money.rows:
        allocation.decision = decisions.get(allocation.decision_id)
    return money
