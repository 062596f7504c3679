"""The printed slip with a verification code: what a resident without much screen experience
needs to make an account from it (a short address to type, a QR code that leads there, where to
get help in person), and the short address itself."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from common.qr import qr_svg
from tests.qr import read_qr as _decode

pytestmark = pytest.mark.django_db

PUBLIC = "https://burgerkracht.example.nl"


def _print(client, civil_servant, area, count=2, valid_days=30):
    client.force_login(civil_servant)
    response = client.post(
        reverse("accounts:codes"), {"area": area.pk, "count": count, "valid_days": valid_days}
    )
    assert response.status_code == 200
    return response.content.decode()


@override_settings(
    SITE_URL=PUBLIC + "/",
    COMMUNITY_HOME_NAME="Huis van de Wijk",
    COMMUNITY_HOME_ADDRESS="Voorbeeldplein 1, 1000 AA Voorbeeld",
    COMMUNITY_HOME_HOURS="ma t/m vr 10:00–16:00",
)
def test_the_slip_gives_a_short_address_a_qr_code_to_it_and_help_in_person(
    client, civil_servant, area
):
    page = _print(client, civil_servant, area, count=2, valid_days=30)
    # The site's public address as people type it (no https://, no closing slash), not the
    # address the civil servant printed from (the test client's "testserver").
    addresses = re.findall(r'data-testid="register-address">([^<]+)<', page)
    assert addresses == ["burgerkracht.example.nl/code"] * 2
    assert "testserver" not in page
    assert "/accounts/registreren/" not in page
    assert "Maak een account met deze code. Ga naar:" in page
    assert "De code werkt één keer, binnen 30 dagen. U hebt geen DigiD nodig." in page
    # The QR code on every slip leads to the same address, and a camera can read it.
    codes = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(codes) == 2
    assert _decode(codes[0]) == [PUBLIC + "/code/"]
    assert 'aria-label="QR-code met het adres burgerkracht.example.nl/code"' in codes[0]
    # Where to go when it does not work, for someone who would rather not do this alone.
    assert "Lukt het niet? Kom langs. Wij helpen u gratis:" in page
    assert "<strong>Huis van de Wijk</strong>, Voorbeeldplein 1, 1000 AA Voorbeeld" in page
    assert "Open: ma t/m vr 10:00–16:00" in page


@override_settings(SITE_URL="http://127.0.0.1:8000", COMMUNITY_HOME_NAME="")
def test_the_slip_without_a_community_home_names_the_municipality_and_one_day_reads_well(
    client, civil_servant, area, settings
):
    page = _print(client, civil_servant, area, count=1, valid_days=1)
    # Plain http (the demo under `make run`) keeps its scheme: a browser would try https.
    assert re.findall(r'data-testid="register-address">([^<]+)<', page) == [
        "http://127.0.0.1:8000/code"
    ]
    assert "binnen 1 dag. U hebt geen DigiD nodig." in page
    assert f"Lukt het niet? Neem contact op met {settings.MUNICIPALITY_NAME}." in page
    assert "Kom langs" not in page


@override_settings(SITE_URL=PUBLIC)
def test_the_slip_in_english(client, civil_servant, area):
    client.cookies["django_language"] = "en"
    page = _print(client, civil_servant, area, count=1, valid_days=90)
    assert "Make an account with this code. Go to:" in page
    assert "The code works once, within 90 days. You do not need DigiD." in page
    assert 'aria-label="QR code with the address burgerkracht.example.nl/code"' in page


def test_the_short_address_leads_to_the_registration(client, resident):
    # Typed without the slash, as printed: Django adds it, then the registration.
    response = client.get("/code", follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:register")
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/register.html"
    # Someone already signed in is taken to the page that verifies their account with a code.
    client.force_login(resident)
    response = client.get("/code/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:redeem")
    assert response.status_code == 200


def test_the_second_factor_qr_code_still_reads_as_the_app_link(civil_servant):
    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=False)
    assert _decode(second_factor.qr_code_svg(device)) == [device.config_url]


@pytest.mark.parametrize(
    "data", ["x", "https://burgerkracht.example.nl/code/", "é" * 40 + "?a=1&b=<2>"]
)
def test_a_qr_code_reads_back_as_what_it_holds(data):
    svg = qr_svg(data, label='a "label" <here>')
    assert _decode(svg) == [data]
    assert 'aria-label="a &quot;label&quot; &lt;here&gt;"' in svg
    assert "aria-hidden" in qr_svg(data)


@override_settings(
    SITE_URL=PUBLIC + "/",
    COMMUNITY_HOME_NAME="Huis van de Wijk",
    COMMUNITY_HOME_ADDRESS="Voorbeeldplein 1",
    COMMUNITY_HOME_PHONE="020 123 45 67",
    MUNICIPALITY_PHONE="14 020",
)
def test_the_slip_gives_a_phone_number_for_who_would_rather_call(client, civil_servant, area):
    """The helper's note of 2026-12-06: the home page gave the phone numbers, the printed slip
    (for whom a screen is a barrier) did not. The Community Home's number first."""
    page = _print(client, civil_servant, area, count=1)
    assert re.findall(r'data-testid="slip-phone">([^<]+)<', page) == ["020 123 45 67"]
    assert "Telefoon: " in page


@override_settings(SITE_URL=PUBLIC + "/", COMMUNITY_HOME_NAME="", MUNICIPALITY_PHONE="14 020")
def test_without_a_community_home_the_slip_gives_the_municipalitys_number(
    client, civil_servant, area, settings
):
    page = _print(client, civil_servant, area, count=1)
    assert f"Lukt het niet? Neem contact op met {settings.MUNICIPALITY_NAME}." in page
    assert re.findall(r'data-testid="slip-phone">([^<]+)<', page) == ["14 020"]
