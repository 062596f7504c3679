"""Fixtures of the budget round's tests."""

import pytest

from tests.budgeting.factories import round_in


@pytest.fixture
def make_round(area, civil_servant, community_member):
    """`make(status, **fields)`: a round in `status` in the test's area, run by its civil servant,
    with plans by its community member (tests.budgeting.factories.round_in)."""

    def make(status, **kwargs):
        return round_in(
            status, area=area, civil_servant=civil_servant, author=community_member, **kwargs
        )

    return make
