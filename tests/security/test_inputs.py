"""NUL characters and over-long input get a clear message, never a server error (point 5)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.models import Initiative, InitiativeImport

pytestmark = pytest.mark.django_db

NUL_URLS = [
    "/rapporten/2025/?gebied=%00",
    "/rapporten/2025.pdf?gebied=%00",
    "/accounts/leden/?q=%00",
    "/initiatieven/?q=a%00b",
    "/initiatieven/export.csv?q=%00",
    "/open-data/initiatieven.csv?jaar=%00",
    "/voorstellen/?status=%00",
    "/intake/link/abc%00def/",
    "/initiatieven/?%00=1",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_in_any_parameter_gets_the_400_page_in_the_layout(client, civil_servant, url):
    client.force_login(civil_servant)
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<main id="main"' in html and 'lang="nl"' in html
    assert "een teken dat niet mag" in html


def test_an_over_long_search_gets_the_400_page(client, settings):
    response = client.get("/initiatieven/", {"q": "x" * (settings.INPUT_MAX_GET_LENGTH + 1)})
    assert response.status_code == 400
    assert "Wat u invulde is te lang." in response.content.decode()
    assert client.get("/initiatieven/", {"q": "x" * 200}).status_code == 200


def test_a_nul_in_a_form_is_refused_and_writes_nothing(client, civil_servant, area):
    client.force_login(civil_servant)
    response = client.post(
        "/initiatieven/nieuw/",
        {
            "name": "Buurt\x00keuken",
            "summary": "Samen koken",
            "area": area.pk,
            "initiator_type": "bewoners",
            "organisation_form": "vereniging",
            "phase": "ideevorming",
        },
    )
    assert response.status_code == 400
    assert not Initiative.objects.exists()


def test_an_over_long_post_field_is_refused(client, civil_servant, settings):
    client.force_login(civil_servant)
    response = client.post(
        "/initiatieven/nieuw/", {"description": "x" * (settings.INPUT_MAX_POST_LENGTH + 1)}
    )
    assert response.status_code == 400
    assert not Initiative.objects.exists()


HEADER = "naam;samenvatting;gebied;initiatiefnemer;organisatievorm;fase\n"


def test_a_csv_cell_over_the_csv_limit_is_reported_with_its_line(client, civil_servant, area):
    client.force_login(civil_servant)
    good = "Buurtkeuken;Samen eten;Bijlmer-Centrum;Bewoner(s);Vereniging;Ideevorming\n"
    huge = '"' + "x" * 140_000 + '";Te lang;Bijlmer-Centrum;Bewoner(s);Vereniging;Ideevorming\n'
    file = SimpleUploadedFile("register.csv", (HEADER + good + huge).encode())
    response = client.post("/initiatieven/importeren/", {"file": file})
    assert response.status_code == 200
    assert "Regel 3" in response.content.decode()
    assert not InitiativeImport.objects.exists() and not Initiative.objects.exists()


def test_a_nul_in_an_imported_file_is_refused_with_a_message(client, civil_servant, area):
    client.force_login(civil_servant)
    bad = "Buurt\x00keuken;Samen eten;Bijlmer-Centrum;Bewoner(s);Vereniging;Ideevorming\n"
    file = SimpleUploadedFile("register.csv", (HEADER + bad).encode())
    response = client.post("/initiatieven/importeren/", {"file": file})
    assert response.status_code == 200
    assert "Dit soort bestand kunnen we niet aannemen" in response.content.decode()
    assert not InitiativeImport.objects.exists() and not Initiative.objects.exists()


def test_a_nul_in_a_cell_is_a_row_error_not_a_database_error(area):
    from initiatives import tabular

    row = tabular.parse_row(2, {"naam": "Buurt\x00keuken", "gebied": "Bijlmer-Centrum"}, {})
    assert any("NUL" in error for error in row.errors)


def test_a_cookie_with_a_nul_is_dropped_before_the_session_reads_it(client, community_member):
    client.force_login(community_member)
    # A quoted cookie may spell NUL as an octal escape; Django's parser turns it into NUL, and
    # PostgreSQL would refuse the session lookup with it.
    response = client.get("/", HTTP_COOKIE='sessionid="abc\\000defghijkl"')
    assert response.status_code == 200
    assert response.wsgi_request.COOKIES.get("sessionid") is None
    assert not response.wsgi_request.user.is_authenticated
