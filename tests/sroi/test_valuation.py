"""The arithmetic of social return: obligations, building-block values, progress."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sroi.valuation import (
    months_between,
    obligation_amount,
    person_year_value,
    progress,
)

D = Decimal
amounts = st.decimals(min_value=D("0.01"), max_value=D("100000000.00"), places=2)
percentages = st.decimals(min_value=D("0.00"), max_value=D("100.00"), places=2)


def test_museum_build_at_five_percent_is_five_million():
    assert obligation_amount(D("100000000.00"), D("5.00"), D("250000.00")) == D("5000000.00")


def test_below_the_threshold_there_is_no_obligation():
    assert obligation_amount(D("249999.99"), D("5.00"), D("250000.00")) == D("0.00")
    assert obligation_amount(D("250000.00"), D("5.00"), D("250000.00")) == D("12500.00")


def test_obligation_is_rounded_to_cents_half_up():
    assert obligation_amount(D("333333.33"), D("2.50"), D("0")) == D("8333.33")
    assert obligation_amount(D("100.10"), D("5.00"), D("0")) == D("5.01")  # 5.005


@given(value=amounts, percentage=percentages, threshold=amounts)
def test_obligation_is_never_more_than_the_value_and_in_cents(value, percentage, threshold):
    obligation = obligation_amount(value, percentage, threshold)
    assert D(0) <= obligation <= value
    assert obligation == obligation.quantize(D("0.01"))
    if value < threshold:
        assert obligation == 0


def test_a_calendar_year_is_twelve_months():
    assert months_between(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == D("12.00")
    assert months_between(datetime.date(2025, 1, 1), datetime.date(2025, 1, 1)) == D("0.03")
    assert months_between(datetime.date(2025, 2, 1), datetime.date(2025, 1, 1)) == D("0.00")


@pytest.mark.parametrize(
    ("hours", "months", "max_months", "bonuses", "expected"),
    [
        ("36", "12", None, [], "40000.00"),  # Participatiewet, a full-time year
        ("18", "6", None, [], "10000.00"),  # half time, half a year
        ("40", "12", None, [], "40000.00"),  # hours above 36 count as 36
        ("36", "36", 24, [], "80000.00"),  # capped at the block's 24 months
        ("36", "12", None, ["10000"], "50000.00"),  # with a one-off bonus
        ("24", "5", None, [], "11111.11"),  # 40000 × 2/3 × 5/12
    ],
)
def test_person_year_value(hours, months, max_months, bonuses, expected):
    value = person_year_value(
        year_value=D("40000"),
        hours_per_week=D(hours),
        months=D(months),
        max_months=max_months,
        bonuses=[D(b) for b in bonuses],
    )
    assert value == D(expected)


@given(
    year_value=st.decimals(min_value=0, max_value=100000, places=2),
    hours=st.decimals(min_value=0, max_value=60, places=1),
    months=st.decimals(min_value=0, max_value=120, places=2),
    max_months=st.one_of(st.none(), st.integers(min_value=1, max_value=60)),
    more_hours=st.decimals(min_value=0, max_value=10, places=1),
)
def test_person_year_value_is_capped_and_grows_with_hours(
    year_value, hours, months, max_months, more_hours
):
    value = person_year_value(
        year_value=year_value, hours_per_week=hours, months=months, max_months=max_months
    )
    cap_months = min(months, max_months) if max_months else months
    assert D(0) <= value <= (year_value * cap_months / 12).quantize(D("0.01")) + D("0.01")
    more = person_year_value(
        year_value=year_value,
        hours_per_week=hours + more_hours,
        months=months,
        max_months=max_months,
    )
    assert more >= value
    assert value == value.quantize(D("0.01"))


def _progress(verified, cash, today, obligation="1000.00"):
    return progress(
        obligation=D(obligation),
        verified_in_kind=D(verified),
        paid_in_cash=D(cash),
        start=datetime.date(2025, 1, 1),
        deadline=datetime.date(2025, 12, 31),
        today=today,
    )


def test_progress_counts_kind_and_cash_and_knows_the_deadline():
    result = _progress("300", "200", datetime.date(2025, 4, 1))
    assert result.fulfilled == D("500")
    assert result.remaining == D("500.00")
    assert result.percent == 50
    assert result.days_to_deadline == 274
    assert not result.is_behind  # a quarter of the time, half fulfilled


def test_a_contract_is_behind_when_time_runs_faster_than_fulfilment():
    assert _progress("100", "0", datetime.date(2025, 7, 1)).is_behind
    overdue = _progress("100", "0", datetime.date(2026, 1, 5))
    assert overdue.is_overdue and overdue.days_to_deadline == -5


def test_a_fulfilled_contract_is_never_behind():
    done = _progress("900", "200", datetime.date(2026, 3, 1))
    assert done.remaining == 0 and done.percent == 100
    assert not done.is_behind and not done.is_overdue


def test_no_obligation_means_nothing_to_do():
    result = _progress("0", "0", datetime.date(2026, 3, 1), obligation="0.00")
    assert result.percent == 100 and not result.is_overdue
