"""An allocation's state as people read it: its stored status, and for an open allocation
whether anything is still to pay.

The database keeps three statuses: open, closed, cancelled. An open allocation whose money is
all paid out is not "open" to a reader: it waits for a civil servant to close it. Staff pages
call that "Paid in full, still to close"; open data and the API publish it as `paid_in_full`
(review 2026-12-06, finding 9: `status=open` next to `open=0.00`). Every place that shows the
state derives it here, from the status and the money still open on the day it counts to.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class AllocationState(models.TextChoices):
    OPEN = "open", _("Open")
    PAID_IN_FULL = "paid_in_full", _("Paid in full, still to close")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


def allocation_state(status: str, open_amount: Decimal | None) -> AllocationState:
    """The state of an allocation with `status` and `open_amount` still to pay (None: not
    counted, the status as it is): open with nothing left to pay is `paid_in_full`."""
    if status == AllocationState.OPEN and open_amount is not None and open_amount <= 0:
        return AllocationState.PAID_IN_FULL
    return AllocationState(status)
