"""Corrections and closed years: a booking undone by its reversal (never edited or deleted), and
a year closed for good, after which no booking may be dated in it.

Part of the ledger's services (see `sroi.services.ledger` for the locking and the signs)."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from notifications.messages import in_each_language
from notifications.models import Kind as EventKind

from ..models import (
    Account,
    Allocation,
    ClosedYear,
    CorrectionReason,
    Fund,
    Transaction,
    public_reason,
)
from ..valuation import ZERO
from .bookkeeping import (
    allocation_open,
    allocation_with_initiative,
    balance,
    check_date,
    lock_fund,
    post,
)
from .ledger import Kind, _tell

REVERSIBLE = {
    Kind.SROI_CONTRIBUTION,
    Kind.OTHER_INCOME,
    Kind.ALLOCATION,
    Kind.DISBURSEMENT,
    Kind.RETURN,
}


# --- Corrections -------------------------------------------------------------------------------


@service("sroi.reverse_transaction", obj="transaction")
def reverse_transaction(
    *,
    transaction: Transaction,
    reason: str,
    actor: User,
    date: datetime.date | None = None,
    category: str = "",
) -> Transaction:
    """Undo a transaction with a mirror transaction that says why; the original stays.

    `reason` is the civil servant's own words and stays internal; `category` (a
    `CorrectionReason`) is what open data and the annual report publish ("" publishes the
    neutral word "correction"). Refused when it would leave a fund account, an allocation or an
    initiative's holdings below zero (a disbursement that was partly returned, an allocation
    partly paid out).
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this transaction is reversed.")})
    if category and category not in CorrectionReason.values:
        raise ValidationError({"category": _("Choose a kind of reason from the list.")})
    date = date or timezone.localdate()
    check_date(date)
    lock_fund(transaction.fund)
    original = Transaction.objects.select_related("allocation").get(pk=transaction.pk)
    if original.kind not in REVERSIBLE:
        raise ValidationError(
            _("A %(kind)s cannot be reversed.") % {"kind": original.get_kind_display().lower()}
        )
    if Transaction.objects.filter(reversal_of=original).exists():
        raise ValidationError(_("This transaction has been reversed already."))
    allocation = original.allocation
    if original.kind in (Kind.ALLOCATION, Kind.DISBURSEMENT) and (
        allocation is not None and allocation.status != Allocation.Status.OPEN
    ):
        raise ValidationError(_("The allocation is no longer open; this cannot be reversed."))
    lines = [(entry.account, -entry.amount) for entry in original.entries.select_related("account")]
    _check_reversal(original, lines)
    record = post(
        fund=original.fund,
        kind=Kind.REVERSAL,
        date=date,
        lines=lines,
        actor=actor,
        contract=original.contract,
        initiative=original.initiative,
        allocation=allocation,
        decision_reference=original.decision_reference,
        reversal_of=original,
        reason=reason,
        reason_category=category,
        description=_("Reversal of: %(description)s") % {"description": original.description},
    )
    if original.kind == Kind.ALLOCATION and allocation is not None:
        allocation.status = Allocation.Status.CANCELLED
        allocation.save(update_fields=["status"])
    if allocation is not None:
        amount = sum((value for _account, value in lines if value > 0), ZERO)
        # Who proposed the allocation reads the published kind of reason, not the internal words.
        published = in_each_language(lambda: public_reason(category))
        _tell(allocation, EventKind.ALLOCATION_REVERSED, amount=amount, reason=published)
    return record


def _check_reversal(original: Transaction, lines: list[tuple[Account, Decimal]]) -> None:
    changes: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account, amount in lines:
        changes[account.pk] += amount
    for account, _amount in lines:
        if account.kind in Account.FUND_KINDS and balance(account) + changes[account.pk] < 0:
            raise ValidationError(
                _("Reversing this would bring the fund's %(account)s below zero.")
                % {"account": account.get_kind_display().lower()}
            )
    allocation = original.allocation
    if allocation is None:
        return
    for kind, figure in (
        (Account.Kind.ALLOCATED, allocation_open),
        (Account.Kind.INITIATIVE, allocation_with_initiative),
    ):
        change = sum((a for account, a in lines if account.kind == kind), ZERO)
        if change and figure(allocation) + change < 0:
            raise ValidationError(
                _(
                    "Reversing this would leave the allocation with less than nothing; reverse "
                    "the later tranches or returns first."
                )
            )


# --- Closed years ------------------------------------------------------------------------------

FIRST_YEAR = 2000


@service("sroi.close_year", system=True)
def close_year(*, year: int, actor: User | None, reason: str) -> ClosedYear:
    """Close a year that has ended for bookings, for good; closing it again changes nothing.

    A closed year also closes every year before it (its opening balance rests on them). Takes
    every fund's lock first, so a booking in progress finishes before and none follows.
    `actor` is a civil servant, or None for the system (a report being made).
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the year is closed.")})
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year < this_year:
        raise ValidationError(
            {
                "year": _("Only a year that has ended can be closed: %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": this_year - 1}
            }
        )
    list(Fund.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    existing = ClosedYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    return ClosedYear.objects.create(year=year, closed_by=actor, reason=reason[:300])
