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


def test_search_column_follows_every_write_even_raw_sql(client, area):
    # given an initiative found by its name
    initiative = InitiativeFactory(name="Buurtmoestuin", slug="bm", area=area, summary="Groente")
    assert names(client, q="moestuin") == ["Buurtmoestuin"]
    # when the description changes through the ORM, the stemmed new word is found
    initiative.description = "Wij kweken samen."
    initiative.save()
    assert names(client, q="kweek") == ["Buurtmoestuin"]
    # and when a DBA changes the summary with raw SQL, the column follows too
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE initiatives_initiative SET summary = 'Zonnepanelen op daken' WHERE id = %s",
            [initiative.pk],
        )
    assert names(client, q="zonnepanelen") == ["Buurtmoestuin"]
    assert names(client, q="groente") == []


def test_search_uses_the_gin_index(area):
    from django.contrib.postgres.search import SearchQuery
    from django.db import connection

    from initiatives.models import Initiative

    make_initiatives(200)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE initiatives_initiative")
        cursor.execute("SET enable_seqscan = off")  # a 200-row table would else be scanned
        try:
            query = SearchQuery("tuin", config="dutch", search_type="websearch")
            sql, params = Initiative.objects.filter(search_vector=query).query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "initiative_search_vector_gin" in plan, plan


def test_a_deep_page_reads_its_keys_from_the_name_index(client):
    """Page 40 of 1,000 on PostgreSQL: the page's keys come from the (name, id) index in the
    register's order (no sort of every row), and the page is the one a plain OFFSET gives."""
    from django.db import connection

    from common.paging import KeysFirst
    from initiatives.selectors import SORTS, initiatives_for_list

    make_initiatives(1000)
    rows = initiatives_for_list().order_by(*SORTS["naam"])
    response = client.get("/initiatieven/", {"page": 40})
    assert [i.pk for i in response.context["page"]] == [i.pk for i in rows[975:1000]]
    keys = KeysFirst(rows).queryset.values("pk")[975:1000]
    sql, params = keys.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE initiatives_initiative")
        cursor.execute("SET enable_seqscan = off")  # a small table would else be scanned
        try:
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "initiative_name_id_idx" in plan and "Sort" not in plan, plan
