"""The scoring rules as pure functions, with examples and properties."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from intake import scoring

EQUAL = {n: Decimal("1") for n in (7, 9, 10, 12, 13, 14, 15)}

values_strategy = st.dictionaries(
    keys=st.integers(min_value=1, max_value=30),
    values=st.integers(min_value=1, max_value=10),
    max_size=15,
)
weight_strategy = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("100"), places=2, allow_nan=False
)
weights_strategy = st.dictionaries(
    keys=st.integers(min_value=1, max_value=30), values=weight_strategy, max_size=15
)


def _half_up(fraction: Fraction) -> Decimal:
    # An independent reference for ROUND_HALF_UP to one decimal, via Decimal.quantize.
    exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return exact.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")


class TestProfile:
    def test_keeps_answered_scales_in_order(self):
        assert scoring.profile([(9, 6), (7, 8), (8, None)]) == {7: 8, 9: 6}
        assert list(scoring.profile([(24, 1), (7, 2)])) == [7, 24]


class TestComposite:
    def test_equal_weights_give_the_mean_rounded_half_up(self):
        values = {7: 8, 9: 7, 10: 6, 12: 8, 13: 7, 14: 6, 15: 9}
        assert scoring.composite(values, EQUAL) == Decimal("7.3")  # 51 / 7 = 7.285…

    def test_half_rounds_up(self):
        assert scoring.composite({7: 7, 9: 8}, EQUAL) == Decimal("7.5")
        assert scoring.composite({7: 1, 9: 2, 10: 2, 12: 2}, EQUAL) == Decimal("1.8")  # 1.75
        assert scoring.composite(
            {7: 1, 9: 1, 10: 1, 12: 1, 13: 2, 14: 2, 15: 2}, {**EQUAL, 15: Decimal("0")}
        ) == Decimal("1.3")  # 8/6 = 1.33…

    def test_weights_pull_toward_heavier_questions(self):
        weights = {7: Decimal("3"), 9: Decimal("1")}
        assert scoring.composite({7: 8, 9: 4}, weights) == Decimal("7.0")

    def test_descriptive_and_unanswered_questions_do_not_count(self):
        assert scoring.composite({7: 8, 8: 1, 11: 1, 24: 1}, EQUAL) == Decimal("8.0")

    def test_none_when_nothing_counting_is_answered(self):
        assert scoring.composite({}, EQUAL) is None
        assert scoring.composite({8: 5, 11: 3}, EQUAL) is None
        assert scoring.composite({7: 5}, {7: Decimal("0")}) is None

    def test_has_one_decimal(self):
        result = scoring.composite({7: 10}, EQUAL)
        assert result == Decimal("10.0") and str(result) == "10.0"

    @given(values_strategy, weights_strategy)
    def test_is_within_the_scale(self, values, weights):
        result = scoring.composite(values, weights)
        if result is not None:
            assert Decimal("1") <= result <= Decimal("10")
            assert result == result.quantize(Decimal("0.1"))

    @given(values_strategy)
    def test_equal_weights_are_the_arithmetic_mean(self, values):
        weights = {number: Decimal("1") for number in values}
        result = scoring.composite(values, weights)
        if not values:
            assert result is None
        else:
            assert result == _half_up(Fraction(sum(values.values()), len(values)))

    @given(
        values_strategy,
        weights_strategy,
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2),
    )
    def test_scaling_all_weights_changes_nothing(self, values, weights, factor):
        scaled = {number: weight * factor for number, weight in weights.items()}
        assert scoring.composite(values, scaled) == scoring.composite(values, weights)

    @given(
        values_strategy,
        weights_strategy,
        st.integers(min_value=31, max_value=40),
        st.integers(min_value=1, max_value=10),
    )
    def test_a_question_with_weight_zero_never_changes_it(self, values, weights, number, value):
        with_zero = {**weights, number: Decimal("0")}
        assert scoring.composite({**values, number: value}, with_zero) == scoring.composite(
            values, weights
        )

    @given(
        values_strategy,
        weights_strategy,
        st.integers(min_value=31, max_value=40),
        st.integers(min_value=1, max_value=10),
    )
    def test_a_question_that_does_not_count_never_changes_it(self, values, weights, number, value):
        assert scoring.composite({**values, number: value}, weights) == scoring.composite(
            values, weights
        )


class TestMedianAndDifferences:
    def test_median_of_odd_and_even_counts(self):
        assert scoring.median([3, 9, 5]) == Decimal("5")
        assert scoring.median([3, 9, 5, 6]) == Decimal("5.5")
        assert scoring.median([]) is None

    def test_median_profile_per_question_over_those_that_answered(self):
        profiles = [{7: 8, 9: 2}, {7: 6}, {7: 7, 9: 4}]
        assert scoring.median_profile(profiles) == {7: Decimal("7"), 9: Decimal("3")}

    def test_differences_row_per_question(self):
        rows = scoring.differences([7, 9, 13], {7: 8, 9: 5}, {7: 6, 13: 4}, {7: Decimal("7")})
        assert [(r.number, r.current, r.previous, r.change, r.median) for r in rows] == [
            (7, 8, 6, 2, Decimal("7")),
            (9, 5, None, None, None),
            (13, None, 4, None, None),
        ]

    def test_differences_without_previous_or_median(self):
        rows = scoring.differences([7], {7: 8}, None, None)
        assert rows[0].change is None and rows[0].median is None
