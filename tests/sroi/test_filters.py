"""The contract list's FilterSet: `?q=` on reference, title and contractor; never a 500."""

import pytest

from sroi import selectors
from sroi.filters import ContractFilter

from .factories import ContractFactory, ContractorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contracts():
    ContractFactory(reference="AMS-1", title="Museum", contractor=ContractorFactory(name="Bouw BV"))
    ContractFactory(reference="AMS-2", title="Zwembad", contractor=ContractorFactory(name="Water"))


def references(params: dict) -> list[str]:
    filterset = ContractFilter(params, queryset=selectors.contracts_with_progress())
    return sorted(contract.reference for contract in filterset.qs)


def test_search_matches_reference_title_and_contractor(contracts):
    assert references({"q": "ams-2"}) == ["AMS-2"]
    assert references({"q": " museum "}) == ["AMS-1"]
    assert references({"q": "bouw"}) == ["AMS-1"]
    assert references({"q": ""}) == ["AMS-1", "AMS-2"]
    assert references({"q": "niets"}) == []


def test_a_search_too_odd_to_match_gives_an_empty_page_not_an_error(client, contracts):
    response = client.get("/sroi/contracten/", {"q": "%' OR 1=1 --", "page": "x"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
