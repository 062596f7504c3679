"""The scoring of an intake: pure functions of the scale answers and the version's weights.

No database here: the selectors and services pass plain values in, so the rules can be tested
(and property-tested) on their own.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

Profile = Mapping[int, int]
ONE_DECIMAL = Decimal("0.1")


def profile(scale_answers: Iterable[tuple[int, int | None]]) -> dict[int, int]:
    """The profile: {question number: value} of the answered scale questions, in number order."""
    return {number: value for number, value in sorted(scale_answers) if value is not None}


def _round_half_up(value: Fraction) -> Decimal:
    # Exact: the mean is a fraction, so rounding never depends on a context's precision.
    tenths = floor(value * 10 + Fraction(1, 2))
    return Decimal(tenths).scaleb(-1).quantize(ONE_DECIMAL)


def composite(values: Profile, weights: Mapping[int, Decimal]) -> Decimal | None:
    """The weighted mean of the answered questions that count (those in `weights`), to 1 decimal.

    Questions with weight 0 and questions not in `weights` do not change it. None when no
    counting question with a positive weight is answered.
    """
    total = Fraction(0)
    weight_sum = Fraction(0)
    for number, weight in weights.items():
        value = values.get(number)
        if value is None or weight <= 0:
            continue
        fraction_weight = Fraction(weight)
        total += fraction_weight * value
        weight_sum += fraction_weight
    if weight_sum == 0:
        return None
    return _round_half_up(total / weight_sum)


def median(values: Iterable[int | Decimal]) -> Decimal | None:
    """The median as a Decimal (the mean of the middle two for an even count); None when empty."""
    ordered = sorted(Decimal(v) for v in values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def median_profile(profiles: Iterable[Profile]) -> dict[int, Decimal]:
    """Per question, the median of the profiles that answered it."""
    by_question: dict[int, list[int]] = {}
    for one in profiles:
        for number, value in one.items():
            by_question.setdefault(number, []).append(value)
    return {number: median(values) for number, values in sorted(by_question.items())}


@dataclass(frozen=True)
class Difference:
    """One row of the difference table."""

    number: int
    current: int | None
    previous: int | None
    median: Decimal | None

    @property
    def change(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


def differences(
    numbers: Iterable[int],
    current: Profile,
    previous: Profile | None,
    medians: Mapping[int, Decimal] | None,
) -> list[Difference]:
    """For each question number: this value, the previous one, the change, and the median."""
    previous = previous or {}
    medians = medians or {}
    return [
        Difference(
            number=number,
            current=current.get(number),
            previous=previous.get(number),
            median=medians.get(number),
        )
        for number in numbers
    ]
