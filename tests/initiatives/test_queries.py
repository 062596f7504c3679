"""The register list and the initiative page keep a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import Classification, Initiative
from tests.accounts.factories import AreaFactory

pytestmark = pytest.mark.django_db


def make_initiatives(count: int) -> None:
    areas = [AreaFactory(name=f"Wijk {i}", slug=f"wijk-q{i}") for i in range(5)]
    Initiative.objects.bulk_create(
        Initiative(
            name=f"Initiatief {i:04}",
            slug=f"initiatief-{i}",
            summary="s",
            area=areas[i % 5],
            initiator_type="bewoners",
            organisation_form="stichting",
            phase="opstart",
        )
        for i in range(count)
    )
    classes = list(Classification.objects.all())
    through = Initiative.classifications.through
    through.objects.bulk_create(
        through(initiative_id=pk, classification_id=classes[(pk + j) % len(classes)].pk)
        for pk in Initiative.objects.values_list("pk", flat=True)
        for j in range(3)
    )


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [10, 1000])
def test_register_query_count_is_constant(client, count, django_assert_max_num_queries):
    make_initiatives(count)
    leefgebied = Classification.objects.get(scheme="leefgebied", code="werk")
    with django_assert_max_num_queries(12):
        client.get("/initiatieven/")
    with django_assert_max_num_queries(12):
        client.get(
            "/initiatieven/", {"leefgebied": leefgebied.pk, "q": "Initiatief", "sort": "gebied"}
        )


def test_register_query_count_does_not_grow_with_data(client):
    make_initiatives(10)
    small = count_queries(client, "/initiatieven/")
    make_initiatives_more = Initiative.objects.count()
    assert make_initiatives_more == 10
    Initiative.objects.all().delete()
    make_initiatives(1000)
    assert count_queries(client, "/initiatieven/") == small


@pytest.mark.parametrize("count", [10, 1000])
def test_initiative_page_query_count_is_constant(client, count, django_assert_max_num_queries):
    make_initiatives(count)
    with django_assert_max_num_queries(10):
        client.get("/initiatieven/initiatief-5/")
