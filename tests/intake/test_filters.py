"""The intake overview's FilterSet: a value that does not fit is left out, the others apply."""

import pytest
from django.urls import reverse

from initiatives.classifications import Phase
from intake import selectors
from intake.filters import OverviewFilter
from tests.accounts.factories import AreaFactory

from .factories import InitiativeFactory, confirmed_intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiatives():
    east = AreaFactory(name="Oost", slug="oost")
    confirmed_intake(
        initiative=InitiativeFactory(name="Met startsubsidie", area=east), needs=("startsubsidie",)
    )
    confirmed_intake(
        initiative=InitiativeFactory(name="Zonder", phase=Phase.IDEA), needs=("scholing",)
    )
    return east


def names(params: dict) -> list[str]:
    filterset = OverviewFilter(params, queryset=selectors.overview())
    return [initiative.name for initiative in filterset.qs]


def test_the_filters_and_the_sort_apply(initiatives):
    assert names({"support_need": "startsubsidie"}) == ["Met startsubsidie"]
    assert names({"phase": Phase.IDEA}) == ["Zonder"]
    assert names({"area": initiatives.pk}) == ["Met startsubsidie"]
    assert names({"sort": "naam"}) == ["Met startsubsidie", "Zonder"]


def test_bad_values_are_left_out_and_the_good_ones_still_apply(initiatives):
    assert names({"area": "999999", "phase": Phase.IDEA}) == ["Zonder"]
    assert names({"support_need": "bestaat-niet", "sort": "omgekeerd"}) == [
        "Met startsubsidie",
        "Zonder",
    ]


def test_the_page_says_which_value_it_could_not_use(client, civil_servant, initiatives):
    client.force_login(civil_servant)
    response = client.get(reverse("intake:overview"), {"area": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["area"]
    assert len(response.context["rows"]) == 2


@pytest.mark.parametrize(
    ("params", "open_"),
    [({}, False), ({"phase": Phase.IDEA}, True), ({"phase": "", "sort": "naam"}, False)],
)
def test_the_filters_fold_away_unless_one_is_in_use(client, civil_servant, initiatives, params,
                                                    open_):  # fmt: skip
    # (on a phone the fold is closed; on a wide screen its content shows anyway: the CSS)
    client.force_login(civil_servant)
    page = client.get(reverse("intake:overview"), params).content.decode()
    fold = page.split('data-testid="filters"', 1)[1].split(">", 1)[0]
    assert ("open" in fold) == open_
