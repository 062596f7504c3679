import pytest
from django.core.exceptions import ValidationError

from initiatives import services
from initiatives.classifications import MULTI_SCHEMES, Leefgebied
from initiatives.models import Classification, Initiative

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Buurtkeuken Holendrecht",
    "summary": "Samen koken en eten.",
    "initiator_type": "bewoners",
    "organisation_form": "vereniging",
    "phase": "ideevorming",
}


def test_every_classification_of_the_seeds_is_a_row():
    for scheme, choices in MULTI_SCHEMES.items():
        codes = list(
            Classification.objects.filter(scheme=scheme)
            .order_by("position")
            .values_list("code", flat=True)
        )
        assert codes == list(choices.values)
    assert Classification.objects.filter(scheme="leefgebied").count() == 9


def test_dutch_labels_are_the_seeds_words():
    from django.utils import translation

    with translation.override("nl"):
        labels = [str(label) for label in Leefgebied.labels]
    assert labels == [
        "Veiligheid",
        "Werk",
        "Inkomen",
        "Gezin",
        "Identiteit",
        "Zorg",
        "Onderwijs",
        "Huisvesting",
        "Toekomst",
    ]


def test_create_makes_a_unique_slug_and_records_who(civil_servant, area):
    first = services.create_initiative(actor=civil_servant, area=area, **FIELDS)
    second = services.create_initiative(actor=civil_servant, area=area, **FIELDS)
    assert first.slug == "buurtkeuken-holendrecht"
    assert second.slug == "buurtkeuken-holendrecht-2"
    record = first.history.get()
    assert record.history_user == civil_servant and record.history_type == "+"


def test_create_validates_every_field(civil_servant, area):
    with pytest.raises(ValidationError) as error:
        services.create_initiative(
            actor=civil_servant, area=area, **{**FIELDS, "phase": "onzin", "website": "geen url"}
        )
    assert set(error.value.message_dict) == {"phase", "website"}
    assert not Initiative.objects.exists()


def test_update_keeps_an_audit_trail_of_fields_and_classifications(civil_servant, area):
    from initiatives import selectors

    initiative = services.create_initiative(actor=civil_servant, area=area, **FIELDS)
    work = Classification.objects.get(scheme="leefgebied", code="werk")
    services.update_initiative(
        initiative=initiative, actor=civil_servant, phase="rijping", classifications=[work]
    )
    history = selectors.history_of(initiative)
    assert len(history) == 2
    changed = {str(c["field"]): (c["old"], c["new"]) for c in history[0]["changes"]}
    assert changed["fase"] == ("Ideevorming", "Rijping, 2-5 jaar")
    assert history[0]["who"] == civil_servant


def test_the_audit_trail_names_the_classifications_and_area_before_and_after(civil_servant, area):
    from initiatives import selectors
    from tests.accounts.factories import AreaFactory

    initiative = services.create_initiative(actor=civil_servant, area=area, **FIELDS)
    work = Classification.objects.get(scheme="leefgebied", code="werk")
    care = Classification.objects.get(scheme="leefgebied", code="zorg")
    services.update_initiative(initiative=initiative, actor=civil_servant, classifications=[work])
    elsewhere = AreaFactory(name="Gaasperdam", slug="gaasperdam")
    services.update_initiative(
        initiative=initiative, actor=civil_servant, area=elsewhere, classifications=[care, work]
    )
    history = selectors.history_of(initiative)
    label = str(Initiative._meta.get_field("classifications").verbose_name)
    newest = {str(c["field"]): (c["old"], c["new"]) for c in history[0]["changes"]}
    both = "; ".join(str(c.label) for c in sorted([work, care], key=lambda c: c.position))
    assert newest[label] == (str(work.label), both)
    assert newest[str(Initiative._meta.get_field("area").verbose_name)] == (
        "Bijlmer-Centrum",
        "Gaasperdam",
    )
    first = {str(c["field"]): (c["old"], c["new"]) for c in history[1]["changes"]}
    assert first[label] == ("", str(work.label))


def test_close_marks_ended_once(civil_servant, area):
    initiative = services.create_initiative(actor=civil_servant, area=area, **FIELDS)
    services.close_initiative(initiative=initiative, actor=civil_servant)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.ENDED
    with pytest.raises(ValidationError):
        services.close_initiative(initiative=initiative, actor=civil_servant)
