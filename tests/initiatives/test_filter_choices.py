"""The register's drop-downs of areas and classifications: Django's options, read with plain
queries (no server-side cursor: on PostgreSQL that is DECLARE, FETCH and CLOSE for a short
list), the four classification lists in one query, and a chosen one checked as Django checks it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_filters import fields

from initiatives.filters import InitiativeFilter
from initiatives.models import Classification
from tests.accounts.factories import AreaFactory
from tests.initiatives.factories import InitiativeFactory

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


def test_the_register_reads_its_drop_downs_with_two_plain_queries(client):
    AreaFactory(name="Wijk", slug="wijk")
    chosen = Classification.objects.filter(scheme="leefgebied").first()
    for params in ({}, {"leefgebied": chosen.pk, "q": "tuin"}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/initiatieven/", params)
        assert response.status_code == 200
        sql = [query["sql"] for query in queries.captured_queries]
        assert not [s for s in sql if s.startswith("DECLARE")], sql
        # the four lists in one query, and the chosen one checked among them (no query)
        reads = [s for s in sql if s.startswith('SELECT "initiatives_classification"."id"')]
        assert len(reads) == 1, sql
        assert sum(s.startswith('SELECT "accounts_area"."id"') for s in sql) == 1
        assert len(response.context["filterset"].form.fields["werkveld"].choices) > 1


def test_a_filter_without_a_classification_reads_no_classification_list():
    """The API and the exports validate the filters without showing the form: the lists are
    read only when one of them is needed."""
    with CaptureQueriesContext(connection) as queries:
        form = InitiativeFilter({"phase": "opstart", "q": "tuin"}).form
        assert form.is_valid(), form.errors
    assert not [q for q in queries.captured_queries if "initiatives_classification" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        werkvelden = list(form.fields["werkveld"].choices)
        assert len(form.fields["werkveld"].choices) == len(werkvelden)
        assert bool(form.fields["leefgebied"].choices)
    assert len(queries) == 1  # the four lists, read together once
    assert werkvelden[0][1] == "Alle"
    form.fields["werkveld"].lists = None  # as Django's own field counts them
    assert len(form.fields["werkveld"].choices) == len(werkvelden)


def _cleaned(value, *, loaded: bool):
    """The leefgebied filter's answer for `value`: with the options the form loaded, or as
    Django's own field answers (its queryset)."""
    form = InitiativeFilter({"leefgebied": value}).form
    if not loaded:
        form.fields["leefgebied"].lists = None
    valid = form.is_valid()
    return valid, form.cleaned_data.get("leefgebied"), form.errors.get("leefgebied")


def test_a_chosen_classification_is_checked_as_djangos_own_field_checks_it():
    leefgebied = Classification.objects.filter(scheme="leefgebied").order_by("position").last()
    werkveld = Classification.objects.filter(scheme="werkveld").first()  # not this list's
    for value in (
        str(leefgebied.pk),
        f" {leefgebied.pk} ",
        str(werkveld.pk),
        "999999",
        "abc",
        "1.5",
        "",
        "null",
    ):
        assert _cleaned(value, loaded=True) == _cleaned(value, loaded=False), value
    assert _cleaned(str(leefgebied.pk), loaded=True)[:2] == (True, leefgebied)
    valid, _chosen, errors = _cleaned(str(werkveld.pk), loaded=True)
    assert not valid and errors


def test_each_initiative_in_the_register_shows_its_areas_of_life_in_their_order(client):
    initiative = InitiativeFactory(name="Buurttuin")
    areas_of_life = list(Classification.objects.filter(scheme="leefgebied").order_by("position"))
    initiative.classifications.add(
        areas_of_life[2], areas_of_life[0], Classification.objects.filter(scheme="werkveld")[0]
    )
    html = client.get("/initiatieven/").content.decode()
    card = html[html.index("Buurttuin") :]
    badges = re.findall(r'bk-me-xs">([^<]*)</span>', card[: card.index("</li>")])
    assert badges == [str(areas_of_life[0].label), str(areas_of_life[2].label)]
