"""The annual report's bar charts show the 8 largest groups and the rest as one bar, named
with the right number in each language."""

from decimal import Decimal

import pytest
from django.utils import translation

from reports.rendering import figures


def _groups(how_many: int) -> list[figures.Group]:
    return [figures.Group(label=f"Bron {i}", amount=Decimal(100 - i)) for i in range(how_many)]


@pytest.mark.parametrize(
    ("language", "groups", "rest"),
    [
        ("en", 9, "1 other"),  # it said "1 others"
        ("en", 11, "3 others"),
        ("nl", 9, "nog 1 andere"),
        ("nl", 11, "nog 3 andere"),
    ],
)
def test_the_rest_bar_is_named_with_its_number(language, groups, rest):
    with translation.override(language):
        items = figures._bands(_groups(groups))
    assert len(items) == figures.BANDS + 1
    assert items[-1].label == rest
    assert items[-1].value == sum(Decimal(100 - i) for i in range(figures.BANDS, groups))


def test_eight_groups_or_fewer_have_no_rest_bar():
    assert [item.label for item in figures._bands(_groups(8))] == [f"Bron {i}" for i in range(8)]
