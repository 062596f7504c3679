"""An allocation's state as people read it: its stored status, and for an open allocation
whether anything is still to pay.

The database keeps three statuses: open, closed, cancelled. An open allocation whose money is
all paid out is not "open" to a reader: it waits for a civil servant to close it. Staff pages
call that "Paid in full, still to close"; open data and the API publish it as `paid_in_full`
(review 2026-12-06, finding 9: `status=open` next to `open=0.00`). Every place that shows the
state derives it here, from the status and the money still open on the day it counts to.
"""

from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class AllocationState(models.TextChoices):
    OPEN = "open", _("Open")
    PAID_IN_FULL = "paid_in_full", _("Paid in full, still to close")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


def allocation_state(
    status: str,
    open_amount: Decimal | None,
    *,
    as_of: date | None = None,
    settled_on: date | None = None,
) -> AllocationState:
    """The state of an allocation with `status` and `open_amount` still to pay (None: not
    counted, the status as it is): open with nothing left to pay is `paid_in_full`.

    `as_of`: the state on that day (a year's file), not today. An allocation closed or cancelled
    after it (`settled_on`, the day its status first said so), or with money still open on it,
    was open that day: closing and cancelling take every euro still open back into the fund,
    so money open on a day shows it was not closed yet.
    """
    settled = status in (AllocationState.CLOSED, AllocationState.CANCELLED)
    if settled and as_of is not None:
        still_open = open_amount is not None and open_amount > 0
        if still_open or (settled_on is not None and settled_on > as_of):
            status = AllocationState.OPEN
    if status == AllocationState.OPEN and open_amount is not None and open_amount <= 0:
        return AllocationState.PAID_IN_FULL
    return AllocationState(status)
