"""On PostgreSQL, which refuses NUL in text, hostile input still gets a 400 page (point 5)."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from initiatives.models import InitiativeImport
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URLS = [
    "/rapporten/2025/?gebied=%00",
    "/rapporten/2025.pdf?gebied=%00",
    "/accounts/leden/?q=%00",
    "/initiatieven/?q=%00",
    "/voorstellen/?q=%00",
]


@pytest.fixture
def staff(client):
    user = UserFactory(username="ambtenaar-invoer")
    user.groups.add(Group.objects.get(name=Role.CIVIL_SERVANT.value))
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", URLS)
def test_a_nul_parameter_is_a_400_not_a_database_error(staff, url):
    response = staff.get(url)
    assert response.status_code == 400
    assert '<main id="main"' in response.content.decode()


def test_an_import_with_a_nul_is_refused_with_a_message(staff):
    content = "naam;samenvatting;gebied;initiatiefnemer;organisatievorm;fase\nA\x00B;x;y;z;v;w\n"
    response = staff.post(
        "/initiatieven/importeren/",
        {"file": SimpleUploadedFile("register.csv", content.encode())},
    )
    assert response.status_code == 200
    assert "Dit soort bestand kunnen we niet aannemen" in response.content.decode()
    assert not InitiativeImport.objects.exists()


def test_a_session_cookie_with_a_nul_is_ignored_not_a_database_error(client):
    response = client.get("/", HTTP_COOKIE='sessionid="abc\\000defghijkl"')
    assert response.status_code == 200
