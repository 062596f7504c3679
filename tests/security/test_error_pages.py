"""Error pages in the site's layout and language; 500 and 503 need no database (point 5)."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


def _in_layout(response) -> str:
    html = response.content.decode()
    assert '<main id="main"' in html and 'lang="nl"' in html, html[:500]
    assert "utrecht-page-footer" in html
    return html


def test_404_is_in_the_layout_and_dutch(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in _in_layout(response)


def test_403_is_in_the_layout_and_dutch(client, community_member):
    client.force_login(community_member)
    response = client.get("/initiatieven/importeren/")
    assert response.status_code == 403
    html = _in_layout(response)
    assert "U mag deze pagina niet zien" in html and "403 Forbidden" not in html


def test_a_form_without_csrf_token_gets_the_403_page_in_the_layout(community_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(community_member)
    response = client.post("/initiatieven/nieuw/", {"name": "x"})
    assert response.status_code == 403
    assert "laad de pagina opnieuw" in _in_layout(response)


def test_a_server_error_shows_the_500_page_in_the_layout():
    client = Client(raise_request_exception=False)
    with mock.patch("config.views.HomeView.get_context_data", side_effect=RuntimeError("kapot")):
        response = client.get("/")
    assert response.status_code == 500
    html = _in_layout(response)
    assert "Er ging iets mis" in html and "Server Error" not in html


def _database_down(*args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused")


def test_a_database_outage_gives_503_try_again_without_touching_the_database():
    client = Client(raise_request_exception=False)
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", _database_down):
        response = client.get("/initiatieven/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "probeer het later opnieuw" in _in_layout(response).lower()


def test_a_database_outage_for_a_signed_in_person_gives_503(community_member):
    client = Client(raise_request_exception=False)
    client.force_login(community_member)
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", _database_down):
        response = client.get("/voorstellen/")
    assert response.status_code == 503
    assert "probeer het later opnieuw" in _in_layout(response).lower()
