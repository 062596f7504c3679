"""The registry on PostgreSQL: Dutch full-text search and constant query counts."""

import pytest

from tests.initiatives.factories import InitiativeFactory
from tests.initiatives.test_queries import make_initiatives

pytestmark = pytest.mark.django_db


def names(client, **params):
    return [i.name for i in client.get("/initiatieven/", params).context["page"]]


def test_search_uses_dutch_stemming(client, area):
    InitiativeFactory(name="Buurthuis De Kameleon", slug="kameleon", area=area, summary="Open huis")
    InitiativeFactory(
        name="Moestuinen Gaasperdam",
        slug="moestuin",
        area=area,
        summary="Groente",
        description="Wij kweken samen.",
    )
    assert names(client, q="moestuin") == ["Moestuinen Gaasperdam"]
    assert names(client, q="kweek") == ["Moestuinen Gaasperdam"]  # stem of "kweken"
    assert names(client, q="fietsenmaker") == []


@pytest.mark.parametrize("count", [10, 1000])
def test_register_query_count_on_postgresql(client, count, django_assert_max_num_queries):
    make_initiatives(count)
    with django_assert_max_num_queries(12):
        response = client.get("/initiatieven/", {"q": "initiatief", "sort": "gebied"})
    assert response.context["page"].paginator.count == count
