"""The base layout: accessible structure, no third-party hosts, Dutch first with English."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["/", "/accounts/inloggen/", "/accounts/registreren/", "/accounts/wachtwoord-vergeten/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_reference_no_external_host(client, path):
    html = client.get(path).content.decode()
    urls = re.findall(r'(?:src|href|action)\s*=\s*"([^"]*)"', html)
    assert urls, "the page should reference its own assets"
    external = [u for u in urls if re.match(r"^(https?:)?//", u)]
    assert external == []
    # The CSRF token (in the form and in the page's request headers) and the CSP nonce are long
    # runs of random letters and digits; about one page in 400 spells "cdn" in them by chance,
    # so every run of 20 or more is left out of the search.
    fixed = re.sub(r"[A-Za-z0-9+/=_-]{20,}", "", html)
    assert "cdn" not in fixed.lower()


def test_vendored_assets_are_served_from_static(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/utrecht/component-library.css" in html
    assert "/static/themes/neutral.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "bootstrap" not in html.lower()


def test_base_has_lang_skip_link_and_landmarks(client):
    html = client.get("/").content.decode()
    assert '<html lang="nl">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html


def test_every_form_field_has_a_label(client):
    html = client.get("/accounts/registreren/").content.decode()
    field_ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert field_ids
    for field_id in field_ids:
        assert f'for="{field_id}"' in html, field_id


def test_dutch_is_the_default(client):
    html = client.get("/").content.decode()
    assert "Inloggen" in html and "Direct naar de inhoud" in html


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html and "Skip to main content" in html
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert '<html lang="nl">' in client.get("/").content.decode()


def test_an_english_browser_still_gets_dutch_until_the_switch(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="nl">' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="en">' in html


def test_header_shows_user_and_roles(client, youth_member):
    client.force_login(youth_member)
    html = client.get("/").content.decode()
    assert 'data-testid="current-user">jongere<' in html
    assert "Lid van de gemeenschap, Lid jongerenraad" in html


def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
