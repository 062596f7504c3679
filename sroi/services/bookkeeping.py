"""The ledger's building blocks: amount checks, the fund lock, accounts, balances and posting.

Only the use cases in `sroi.services.ledger` and `.corrections` call `post`; nothing else writes ledger rows.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from initiatives.models import Initiative

from .. import ledger_selectors
from ..formatting import format_money
from ..models import Account, ClosedYear, Contract, Entry, Fund, Transaction
from ..valuation import CENT, ZERO

# Accounts whose balance is money someone holds: never below zero, on no day.
NEVER_BELOW_ZERO = (*Account.FUND_KINDS, Account.Kind.INITIATIVE)

# One hundred million euro: an amount above it in one transaction is a typing error.
MAX_AMOUNT = Decimal("100000000.00")


# --- Checks ------------------------------------------------------------------------------------


def check_amount(value, field: str = "amount") -> Decimal:
    """A positive amount in whole cents up to MAX_AMOUNT, as a Decimal; floats are refused."""
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a Decimal or a string")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in euros.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in euros.")})
    if amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount > MAX_AMOUNT:
        raise ValidationError(
            {
                field: _("The amount is more than %(max)s; check it for a typing error.")
                % {"max": format_money(MAX_AMOUNT)}
            }
        )
    # Checked after the size: quantizing a huge number would overflow the context.
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("An amount has at most two decimals (whole cents).")})
    return amount.quantize(CENT)


def check_date(value: datetime.date, *, not_before: datetime.date | None = None) -> None:
    if value > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {"date": _("The date cannot be before %(date)s.") % {"date": date_format(not_before)}}
        )
    check_open_year(value)


def check_open_year(value: datetime.date) -> None:
    """Refuse a booking dated in a closed year; `post` asks again under the fund lock."""
    # Closing a year closes the years before it too: its opening balance rests on them.
    if ClosedYear.objects.filter(year__gte=value.year).exists():
        raise ValidationError(
            {
                "date": _(
                    "The year %(year)s is closed: its figures are final. Choose a date in an "
                    "open year. To correct something of %(year)s, reverse it with a date of now."
                )
                % {"year": value.year}
            }
        )


# --- Accounts and balances ---------------------------------------------------------------------


def lock_fund(fund: Fund) -> Fund:
    """Lock the fund's row until the end of the transaction; every money service calls this first.

    Must run inside `transaction.atomic`. On PostgreSQL this is the lock that makes concurrent
    allocations wait for each other (tests/integration/test_sroi_concurrency.py).
    """
    return Fund.objects.select_for_update().get(pk=fund.pk)


def fund_account(fund: Fund, kind: str) -> Account:
    account, _created = Account.objects.get_or_create(fund=fund, kind=kind)
    return account


def contract_account(contract: Contract) -> Account:
    account, _created = Account.objects.get_or_create(kind=Account.Kind.CONTRACT, contract=contract)
    return account


def initiative_account(initiative: Initiative) -> Account:
    account, _created = Account.objects.get_or_create(
        kind=Account.Kind.INITIATIVE, initiative=initiative
    )
    return account


def external_account(kind: str) -> Account:
    account, _created = Account.objects.get_or_create(kind=kind, fund=None)
    return account


# Reads go through the one read door; the services call these under the fund lock.
balance = ledger_selectors.account_balance
allocation_open = ledger_selectors.allocation_open
allocation_with_initiative = ledger_selectors.allocation_with_initiative


def post(
    *,
    fund: Fund,
    kind: str,
    date: datetime.date,
    lines: list[tuple[Account, Decimal]],
    actor,
    **links,
) -> Transaction:
    """Write one balanced transaction; the only place ledger rows are made.

    Called under the fund's lock. Refuses a date in a closed year, and money taken from a fund
    or initiative account that would leave it below zero on the date or on any later day.
    """
    if sum((amount for _account, amount in lines), ZERO) != 0:
        raise ValueError("a transaction's entries must sum to zero")
    if any(amount == 0 for _account, amount in lines):
        raise ValueError("an entry of zero")
    check_open_year(date)
    for account, amount in lines:
        if amount < 0 and account.kind in NEVER_BELOW_ZERO:
            lowest = ledger_selectors.lowest_balance_from(account, date)
            if lowest + amount < 0:
                raise ValidationError(
                    {
                        "amount": _(
                            "This date does not work: from %(date)s on, there is at one moment "
                            "only %(available)s (%(account)s). %(amount)s is more than that."
                        )
                        % {
                            "date": date_format(date),
                            "account": account.get_kind_display().lower(),
                            "available": format_money(max(lowest, ZERO)),
                            "amount": format_money(-amount),
                        }
                    }
                )
    record = Transaction.objects.create(fund=fund, kind=kind, date=date, actor=actor, **links)
    Entry.objects.bulk_create(
        Entry(transaction=record, account=account, amount=amount) for account, amount in lines
    )
    return record


def refuse_over(available: Decimal, amount: Decimal, message: str) -> None:
    if amount > available:
        raise ValidationError(
            {
                "amount": message
                % {"available": format_money(available), "amount": format_money(amount)}
            }
        )
