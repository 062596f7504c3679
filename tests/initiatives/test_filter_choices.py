"""The register's drop-downs of areas and classifications: Django's options, one plain query
each (no server-side cursor: on PostgreSQL that is DECLARE, FETCH and CLOSE for a short list)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_filters import fields

from initiatives.filters import InitiativeFilter
from initiatives.models import Classification
from tests.accounts.factories import AreaFactory

pytestmark = pytest.mark.django_db

LISTS = ("area", "leefgebied", "doelgroep", "socialization_doelgroep", "werkveld")


def test_the_drop_downs_offer_what_djangos_own_choice_lists_offer():
    for i in range(3):
        AreaFactory(name=f"Wijk {i}", slug=f"wijk-{i}")
    form = InitiativeFilter({}).form
    for name in LISTS:
        field = form.fields[name]
        expected = [(str(value), str(label)) for value, label in fields.ModelChoiceIterator(field)]
        offered = [(str(value), str(label)) for value, label in field.choices]
        assert offered == expected, name
        assert offered[0] == ("", "Alle")
        assert len(offered) > 1, name  # the classifications come from the migrations


def test_the_register_reads_each_drop_down_with_one_plain_query(client):
    AreaFactory(name="Wijk", slug="wijk")
    chosen = Classification.objects.filter(scheme="leefgebied").first()
    for params in ({}, {"leefgebied": chosen.pk, "q": "tuin"}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/initiatieven/", params)
        assert response.status_code == 200
        sql = [query["sql"] for query in queries.captured_queries]
        assert not [s for s in sql if s.startswith("DECLARE")], sql
        reads = [s for s in sql if s.startswith('SELECT "initiatives_classification"."id"')]
        assert len(reads) >= 4, sql  # one per classification list (and the chosen one's check)
        assert sum(s.startswith('SELECT "accounts_area"."id"') for s in sql) == 1
