"""Role × view × expected status for the registry, GET and POST, checked on the server."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from initiatives.models import Initiative
from tests.roles import ACCOUNT_ROLES, STAFF, expected_status, login_as

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db

EVERYONE = set(ACCOUNT_ROLES)


@pytest.fixture
def initiative(area):
    return InitiativeFactory(name="Buurtkeuken", slug="buurtkeuken", area=area)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/initiatieven/", EVERYONE),
        ("/initiatieven/buurtkeuken/", EVERYONE),
        ("/initiatieven/export.csv", EVERYONE),
        ("/initiatieven/export-volledig.csv", STAFF),
        ("/initiatieven/export-volledig.xlsx", STAFF),
        ("/initiatieven/nieuw/", STAFF),
        ("/initiatieven/buurtkeuken/bewerken/", STAFF),
        ("/initiatieven/buurtkeuken/beheer/", STAFF),
        ("/initiatieven/importeren/", STAFF),
        ("/initiatieven/importeren/sjabloon.csv", STAFF),
        ("/initiatieven/importeren/sjabloon.xlsx", STAFF),
        ("/initiatieven/gebieden/", STAFF),
    ],
)
def test_get(client, user_for_role, initiative, role, url, allowed):
    response = login_as(client, user_for_role(role)).get(url)
    assert response.status_code == expected_status(role, allowed)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_post_create(client, user_for_role, area, role):
    data = {
        "name": "Nieuw",
        "summary": "x",
        "area": area.pk,
        "status": Initiative.Status.REGISTERED,
        "phase": "ideevorming",
        "initiator_type": "bewoners",
        "organisation_form": "vereniging",
    }
    response = login_as(client, user_for_role(role)).post(reverse("initiatives:create"), data)
    assert response.status_code == expected_status(role, STAFF, ok=302)
    assert Initiative.objects.filter(name="Nieuw").exists() == (role in STAFF)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_post_edit(client, user_for_role, initiative, area, role):
    data = {
        "name": "Anders",
        "summary": "x",
        "area": area.pk,
        "status": Initiative.Status.REGISTERED,
        "phase": "ideevorming",
        "initiator_type": "bewoners",
        "organisation_form": "vereniging",
    }
    response = login_as(client, user_for_role(role)).post(
        reverse("initiatives:edit", args=["buurtkeuken"]), data
    )
    assert response.status_code == expected_status(role, STAFF, ok=302)
    assert (Initiative.objects.get().name == "Anders") == (role in STAFF)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_post_close(client, user_for_role, initiative, role):
    response = login_as(client, user_for_role(role)).post(
        reverse("initiatives:close", args=["buurtkeuken"])
    )
    assert response.status_code == expected_status(role, STAFF, ok=302)
    assert (Initiative.objects.get().status == Initiative.Status.ENDED) == (role in STAFF)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_post_import(client, user_for_role, area, role):
    from initiatives.models import InitiativeImport

    file = SimpleUploadedFile(
        "r.csv", b"naam,samenvatting,gebied,initiatiefnemer,organisatievorm,fase\n"
    )
    response = login_as(client, user_for_role(role)).post(
        reverse("initiatives:import"), {"file": file}
    )
    assert response.status_code == expected_status(role, STAFF, ok=302)
    assert InitiativeImport.objects.exists() == (role in STAFF)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_post_area(client, user_for_role, role):
    from accounts.models import Area

    response = login_as(client, user_for_role(role)).post(
        reverse("initiatives:areas"),
        {"name": "Driemond", "kind": Area.Kind.NEIGHBOURHOOD, "parent": ""},
    )
    assert response.status_code == expected_status(role, STAFF, ok=302)
    assert Area.objects.filter(name="Driemond").exists() == (role in STAFF)
