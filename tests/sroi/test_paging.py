"""The staff pages of a contract and of an allocation page their lists (issue 16)."""

import pytest

from tests.query_counts.civic import allocation_with_tranches, contract_with_realisations

pytestmark = pytest.mark.django_db


def test_a_contract_staff_page_shows_fifty_realisations_a_page(client, civil_servant, area):
    contract, _first = contract_with_realisations(60, {"civil_servant": civil_servant})
    client.force_login(civil_servant)
    url = f"/sroi/contracten/{contract.pk}/beheer/"
    first = client.get(url)
    assert len(first.context["realisations"]) == 50
    assert "?page=2" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["realisations"]) == 10


# Tranches bulk-written without their entries (tests/at_commit.py).
@pytest.mark.rolled_back_only
def test_an_allocation_page_shows_fifty_transactions_a_page(client, civil_servant, area):
    ctx = {"civil_servant": civil_servant, "area": area}
    allocation, _tranche = allocation_with_tranches(60, ctx)
    client.force_login(civil_servant)
    url = f"/sroi/toekenningen/{allocation.pk}/"
    first = client.get(url)
    assert len(first.context["transactions"]) == 50
    assert "?page=2" in first.content.decode()
    # 60 tranches and the allocation itself
    assert len(client.get(url, {"page": 2}).context["transactions"]) == 11
