"""Why a booking was reversed, as the public reads it: a kind of reason from a fixed list.

The civil servant also says why in their own words (`Transaction.reason`). That text stays
internal, on the staff pages only: it can name a resident, an address or a debt, and open data
and a frozen annual report cannot take a name back (insider review 2026-12-05, R5). Open data and
the annual report publish only the label of the kind; a reversal booked before the kinds
existed has none and publishes the neutral word "correction".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CorrectionReason(models.TextChoices):
    WRONG_AMOUNT = "wrong_amount", _("Wrong amount")
    BOOKED_TWICE = "booked_twice", _("Booked twice")
    WRONG_PARTY = "wrong_party", _("Wrong fund, contract or initiative")
    WRONG_DATE = "wrong_date", _("Wrong date")
    DECISION_CHANGED = "decision_changed", _("Decision withdrawn or changed")
    INITIATIVE_STOPPED = "initiative_stopped", _("Initiative stopped")
    PAYMENT_CAME_BACK = "payment_came_back", _("The payment came back")
    OTHER = "other", _("Other reason")


# What a reversal without a kind of reason publishes.
NEUTRAL_REASON = _("correction")


def public_reason(code: str) -> str:
    """The published reason of a reversal whose kind of reason is `code` ("" when none was
    chosen), in the active language."""
    try:
        return str(CorrectionReason(code).label)
    except ValueError:
        return str(NEUTRAL_REASON)
