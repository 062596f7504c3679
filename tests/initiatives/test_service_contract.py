"""The service contract in the register (issue 19): the service itself asks the rule the page
asks, never the system, and the actor is the audit user outside a request too."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Area
from initiatives import services
from initiatives.models import Initiative, InitiativeImport
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Buurtkeuken Holendrecht",
    "summary": "Samen koken en eten.",
    "initiator_type": "bewoners",
    "organisation_form": "vereniging",
    "phase": "ideevorming",
}
FILE = (
    "naam;samenvatting;gebied;initiatiefnemer;organisatievorm;fase;leefgebieden;startdatum\n"
    "Buurtkeuken;Samen eten;Bijlmer-Centrum;Bewoner(s);Vereniging;Ideevorming;Werk;2024-05-01\n"
)


def _upload():
    return SimpleUploadedFile("register.csv", FILE.encode(), content_type="text/csv")


@pytest.fixture
def things(area, civil_servant):
    upload, _rows = services.upload_import(actor=civil_servant, uploaded_file=_upload())
    return {
        "area": area,
        "initiative": InitiativeFactory(name="Buurttuin", slug="buurttuin", area=area),
        "upload": upload,
    }


CALLS = {
    "create_initiative": lambda t, actor: services.create_initiative(
        actor=actor, area=t["area"], **FIELDS
    ),
    "update_initiative": lambda t, actor: services.update_initiative(
        initiative=t["initiative"], actor=actor, summary="Anders"
    ),
    "close_initiative": lambda t, actor: services.close_initiative(
        initiative=t["initiative"], actor=actor
    ),
    "save_area": lambda t, actor: services.save_area(
        actor=actor, name="Gaasperdam", kind=Area.Kind.NEIGHBOURHOOD
    ),
    "upload_import": lambda t, actor: services.upload_import(actor=actor, uploaded_file=_upload()),
    "run_import": lambda t, actor: services.run_import(
        upload=t["upload"], actor=actor, only_valid=True
    ),
    "cancel_import": lambda t, actor: services.cancel_import(upload=t["upload"], actor=actor),
}


def _written():
    return (
        Initiative.objects.count(),
        Initiative.objects.filter(status=Initiative.Status.ENDED).count(),
        Initiative.objects.filter(summary="Anders").count(),
        Area.objects.count(),
        list(InitiativeImport.objects.values_list("status", flat=True)),
    )


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_role_without_the_rule_or_the_system_is_refused_by_the_service(
    name, things, community_member, advisory_member
):
    before = _written()
    for actor in (community_member, advisory_member, None):
        with pytest.raises(ValidationError) as refused:
            CALLS[name](things, actor)
        assert refused.value.code == "forbidden"
    assert _written() == before


def test_the_actor_is_the_audit_user_outside_a_request(things, civil_servant, administrator):
    created = services.create_initiative(actor=civil_servant, area=things["area"], **FIELDS)
    services.update_initiative(initiative=created, actor=administrator, summary="Anders")
    area = services.save_area(actor=administrator, name="Gaasperdam", kind=Area.Kind.NEIGHBOURHOOD)
    users = list(created.history.order_by("history_date").values_list("history_user", flat=True))
    assert users == [civil_servant.pk, administrator.pk]
    assert area.history.get().history_user == administrator
    assert services.run_import(upload=things["upload"], actor=civil_servant, only_valid=True) == 1
    imported = Initiative.objects.get(name="Buurtkeuken")
    assert imported.history.get().history_user == civil_servant


def test_actor_is_a_required_keyword(things):
    with pytest.raises(TypeError):
        services.close_initiative(initiative=things["initiative"])
    with pytest.raises(TypeError):
        services.close_initiative(things["initiative"], None)
