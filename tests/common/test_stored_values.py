"""Stored enum values are English snake case (issue 19, docs/architecture.md); only the codes of
the VNG publication and the Socialization+ seeds keep their own spelling."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models

from accounts.models import Area
from common.stored_values import rename_values
from initiatives import classifications
from initiatives.models import Classification, Initiative

APPS = (
    "accounts",
    "initiatives",
    "intake",
    "sroi",
    "governance",
    "budgeting",
    "reports",
    "notifications",
    "common",
)
SNAKE_CASE = re.compile(r"[a-z][a-z0-9_]*")
# The Dutch words the stored values used before issue 19; none may come back.
DUTCH = {
    "voor", "tegen", "onthouding", "concept", "bespreking", "stemming", "geteld", "aangenomen",
    "verworpen", "ingetrokken", "uitgevoerd", "bestuur", "jongerenraad", "adviescommissie",
    "wachtrij", "bezig", "klaar", "mislukt", "ingediend", "bevestigd", "gesprek", "aangemeld",
    "actief", "gepauzeerd", "beeindigd", "stadsdeel", "wijk", "buurt", "beschikbaar", "toegekend",
    "gemeente", "overig", "overige", "inkomsten", "initiatief", "bijdrage", "toekenning",
    "uitbetaling", "terugbetaling", "vrijval", "correctie", "gesloten", "inspanning", "resultaat",
    "lopend", "afgerond", "ontbonden", "persoonsjaar", "factuur", "uur", "geld", "participatiewet",
    "banenafspraak", "leerling", "uitkering", "statushouder", "systeemgedupeerden", "nazaten",
    "anders", "geclaimd", "geverifieerd", "afgewezen", "escalaties", "inkomen", "schoolbehoud",
    "schuldstabilisatie", "mentale", "rust",
}  # fmt: skip
# Codes from a standard (DOMAIN.md §1-3), stored as the publication spells them.
STANDARD_CODES = {
    (Initiative, "bloedgroep"): classifications.Bloedgroep,
    (Initiative, "government_relation"): classifications.GovernmentRelation,
    (Initiative, "initiator_type"): classifications.InitiatorType,
    (Initiative, "organisation_form"): classifications.OrganisationForm,
    (Initiative, "phase"): classifications.Phase,
    (Classification, "scheme"): Classification.Scheme,
}
STANDARD_ENUMS = {*STANDARD_CODES.values(), *classifications.MULTI_SCHEMES.values()}


def _problem(value) -> str | None:
    if isinstance(value, int):
        return None
    if not SNAKE_CASE.fullmatch(value):
        return "not snake case"
    dutch = DUTCH.intersection(value.split("_"))
    return f"Dutch: {', '.join(sorted(dutch))}" if dutch else None


def _model_fields():
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and (model, field.name) not in STANDARD_CODES:
                yield model, field


def _enums(cls=models.Choices):
    for sub in cls.__subclasses__():
        if sub.__module__.split(".")[0] in APPS and sub not in STANDARD_ENUMS:
            yield sub
        yield from _enums(sub)


def test_every_stored_choice_value_is_english_snake_case():
    wrong = [
        f"{model._meta.label}.{field.name} = {value!r}: {problem}"
        for model, field in _model_fields()
        for value, _label in field.flatchoices
        if (problem := _problem(value))
    ]
    assert list(_model_fields()), "no fields with choices found: the check looks nowhere"
    assert wrong == []


def test_every_choices_enum_of_our_apps_is_english_snake_case():
    enums = list(_enums())
    wrong = [
        f"{enum.__module__}.{enum.__qualname__}.{member.name} = {member.value!r}: {problem}"
        for enum in enums
        for member in enum
        if (problem := _problem(member.value))
    ]
    assert {"Status", "Choice", "Kind", "TargetGroup"} <= {enum.__name__ for enum in enums}
    assert wrong == []


def test_the_check_recognises_a_dutch_or_badly_spelled_value():
    assert _problem("in_discussion") is None and _problem("for") is None
    assert _problem("ter_bespreking") == "Dutch: bespreking"
    assert _problem("sroi_bijdrage") == "Dutch: bijdrage"
    assert (
        _problem("Side") == _problem("QUORUM_NONE") == _problem("in-stemming") == "not snake case"
    )


def test_only_the_standard_codes_are_exempt_and_they_are_the_publications_codes():
    for (model, name), enum in STANDARD_CODES.items():
        field = model._meta.get_field(name)
        assert [value for value, _label in field.choices] == list(enum.values)


class _Editor:
    """What `rename_values` asks of a schema editor, without SQLite's refusal inside a test's
    transaction."""

    connection = connection

    def quote_name(self, name):
        return connection.ops.quote_name(name)

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.mark.django_db
def test_rename_values_converts_rows_and_their_history_and_back():
    # given an area stored with an old value, its history row too
    area = Area.objects.create(name="Holendrecht", slug="holendrecht", kind="wijk")
    other = Area.objects.create(name="Zuidoost", slug="zuidoost", kind="district")
    operation = rename_values("accounts", {("area", "kind"): {"wijk": "neighbourhood"}})
    # when the migration runs forwards
    operation.code(apps, _Editor())
    # then the row and its historical copy carry the new value; other values are left alone
    area.refresh_from_db()
    other.refresh_from_db()
    assert (area.kind, other.kind) == (Area.Kind.NEIGHBOURHOOD, Area.Kind.DISTRICT)
    assert set(area.history.values_list("kind", flat=True)) == {Area.Kind.NEIGHBOURHOOD}
    # and backwards it is the old value again
    operation.reverse_code(apps, _Editor())
    area.refresh_from_db()
    assert area.kind == "wijk" and set(area.history.values_list("kind", flat=True)) == {"wijk"}


@pytest.mark.django_db
def test_the_migrations_describe_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
