"""The identifiers in the 360Giving and OCDS files carry the municipality's registered prefixes
(OPEN_DATA_360GIVING_PREFIX, OPEN_DATA_OCID_PREFIX); the defaults are placeholders, and then
the page and the description say so (review 2026-12-06, finding 13: the prefixes were fixed in
the code, with no setting to point to)."""

import html
import json

import pytest
from django.test import override_settings
from django.utils import translation

from reports import opendata
from sroi.models import Allocation, Contract

from .test_correction_privacy import YEAR, _body, _reversed_tranche, standards_validators

pytestmark = pytest.mark.django_db

REGISTERED = {
    "OPEN_DATA_360GIVING_PREFIX": "360G-gemeentevoorbeeld-",
    "OPEN_DATA_OCID_PREFIX": "ocds-a1b2c3-",
}


def _packages(client) -> tuple[dict, dict]:
    grants = json.loads(_body(client.get(f"/open-data/toekenningen-360giving.json?jaar={YEAR}")))
    releases = json.loads(_body(client.get(f"/open-data/contracten-ocds.json?jaar={YEAR}")))
    return grants, releases


def test_the_identifiers_carry_the_registered_prefixes_and_stay_valid(client):
    _reversed_tranche("booked_twice")
    allocation = Allocation.objects.get()
    contract = Contract.objects.get()

    with override_settings(**REGISTERED):
        grants, releases = _packages(client)

    assert [grant["id"] for grant in grants["grants"]] == [
        f"360G-gemeentevoorbeeld-{allocation.pk}"
    ]
    assert [release["ocid"] for release in releases["releases"]] == [
        f"ocds-a1b2c3-{contract.reference}"
    ]
    giving, ocds = standards_validators()
    assert [error.message for error in giving.iter_errors(grants)] == []
    assert [error.message for error in ocds.iter_errors(releases)] == []


def test_without_a_registered_prefix_the_identifiers_say_they_are_placeholders(client):
    _reversed_tranche("booked_twice")
    grants, releases = _packages(client)

    assert grants["grants"][0]["id"].startswith("360G-burgerkracht-")
    assert releases["releases"][0]["ocid"].startswith("ocds-burgerkracht-")


@pytest.mark.parametrize(
    ("settings_", "giving", "ocds"),
    [
        (
            {},
            "De prefix '360G-burgerkracht-' is een voorlopige waarde",
            "De ocid-prefix 'ocds-burgerkracht-' is een voorlopige waarde",
        ),
        (
            REGISTERED,
            "De prefix '360G-gemeentevoorbeeld-' is de eigen prefix van de gemeente",
            "De ocid-prefix 'ocds-a1b2c3-' is de eigen prefix van de gemeente",
        ),
    ],
    ids=["placeholders", "registered"],
)
def test_the_description_says_whose_prefix_it_is(client, settings_, giving, ocds):
    standards = opendata.STANDARDS
    with override_settings(**settings_), translation.override("nl"):
        page = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        described = (
            str(standards["toekenningen-360giving"].description),
            str(standards["contracten-ocds"].description),
        )
    assert giving in described[0] and ocds in described[1]
    assert html.escape(giving) in page and html.escape(ocds) in page
    other = "voorlopige waarde" if settings_ else "eigen prefix van de gemeente"
    assert other not in " ".join(described)
    with override_settings(**settings_), translation.override("en"):
        english = str(standards["toekenningen-360giving"].description)
    assert ("is a placeholder" in english) is (not settings_)
