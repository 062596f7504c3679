"""The arithmetic of social return, as pure functions of Decimals (no database, no floats).

See ../shared/SROI.md: an obligation is value × percentage above a threshold; a realisation counts
with the building-block method (value per 36-hour year, pro rata for hours and months, capped by
the block's maximum duration, plus one-off bonuses); invoice-based blocks count the invoice.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
FULL_TIME_HOURS = Decimal(36)
MONTHS_PER_YEAR = Decimal(12)
DAYS_PER_YEAR = Decimal(365)


def cents(amount: Decimal) -> Decimal:
    """Round to whole cents, halves away from zero (as accountants do)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def obligation_amount(value: Decimal, percentage: Decimal, threshold: Decimal) -> Decimal:
    """The social-return obligation: value × percentage / 100 when value ≥ threshold, else 0."""
    if value < threshold:
        return ZERO
    return cents(value * percentage / 100)


def months_between(start: date, end: date) -> Decimal:
    """The length of a period, both days included, in months of 365/12 days, to 2 places.

    1 January to 31 December is 12.00 months; a month is counted the same in February and March.
    """
    days = (end - start).days + 1
    if days <= 0:
        return ZERO
    return (Decimal(days) * MONTHS_PER_YEAR / DAYS_PER_YEAR).quantize(CENT, ROUND_HALF_UP)


def person_year_value(
    *,
    year_value: Decimal,
    hours_per_week: Decimal,
    months: Decimal,
    max_months: int | None = None,
    bonuses: Iterable[Decimal] = (),
) -> Decimal:
    """Block value × (hours / 36) × (months / 12) + bonuses.

    Hours above a full-time week (36) count as 36; months above the block's maximum count as the
    maximum. Bonuses are one-off amounts per placement (SROI.md's Utrecht table).
    """
    hours = min(max(hours_per_week, ZERO), FULL_TIME_HOURS)
    counted_months = max(months, ZERO)
    if max_months is not None:
        counted_months = min(counted_months, Decimal(max_months))
    base = year_value * hours / FULL_TIME_HOURS * counted_months / MONTHS_PER_YEAR
    return cents(base + sum(bonuses, ZERO))


def hourly_value(*, rate: Decimal, hours: Decimal) -> Decimal:
    """Training or support counted per employee-hour (e.g. €100 an hour)."""
    return cents(rate * max(hours, ZERO))


def share_fulfilled(fulfilled: Decimal, obligation: Decimal) -> Decimal:
    """The part of `obligation` that `fulfilled` covers, 0..1; nothing is left to fulfil of no
    obligation (1)."""
    return min(fulfilled / obligation, Decimal(1)) if obligation > 0 else Decimal(1)


def whole_percent(share: Decimal) -> int:
    """A share 0..1 as whole percent, half up, as a progress bar and the reports show it."""
    return int((share * 100).to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Progress:
    """How far a contract is with its obligation, on a given day."""

    obligation: Decimal
    verified_in_kind: Decimal
    paid_in_cash: Decimal
    fulfilled: Decimal
    remaining: Decimal
    share_fulfilled: Decimal  # 0..1
    share_elapsed: Decimal  # 0..1
    days_to_deadline: int | None
    is_behind: bool
    is_overdue: bool

    @property
    def percent(self) -> int:
        """Whole percent fulfilled, for a progress bar (0-100)."""
        return whole_percent(self.share_fulfilled)

    @property
    def elapsed_percent(self) -> int:
        """Whole percent of the time from start to deadline that has passed (0-100)."""
        return whole_percent(self.share_elapsed)


def progress(
    *,
    obligation: Decimal,
    verified_in_kind: Decimal,
    paid_in_cash: Decimal,
    start: date,
    deadline: date | None,
    today: date,
) -> Progress:
    """Fulfilled, remaining and on-track status of one contract.

    A contract is behind when a larger share of its time (start to deadline) has passed than of
    its obligation has been fulfilled; overdue when the deadline passed with money remaining.
    """
    fulfilled = verified_in_kind + paid_in_cash
    remaining = max(obligation - fulfilled, ZERO)
    fulfilled_share = share_fulfilled(fulfilled, obligation)
    if deadline is None or deadline <= start:
        share_elapsed = Decimal(1) if deadline is not None and today >= deadline else Decimal(0)
    else:
        elapsed = Decimal((today - start).days) / Decimal((deadline - start).days)
        share_elapsed = min(max(elapsed, Decimal(0)), Decimal(1))
    days_to_deadline = (deadline - today).days if deadline is not None else None
    is_overdue = remaining > 0 and days_to_deadline is not None and days_to_deadline < 0
    is_behind = remaining > 0 and share_elapsed > fulfilled_share
    return Progress(
        obligation=obligation,
        verified_in_kind=verified_in_kind,
        paid_in_cash=paid_in_cash,
        fulfilled=fulfilled,
        remaining=remaining,
        share_fulfilled=fulfilled_share,
        share_elapsed=share_elapsed,
        days_to_deadline=days_to_deadline,
        is_behind=is_behind,
        is_overdue=is_overdue,
    )
