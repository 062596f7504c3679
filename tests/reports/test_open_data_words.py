"""The open data's plain-text descriptions in the visitor's language, pointing to the site's
public address (the review of 2026-12-06, finding 12)."""

import pytest
from django.test import override_settings

from reports import opendata

pytestmark = pytest.mark.django_db

DUTCH = ("Licentie: ", "Uitgever: ", "Datum van deze beschrijving: ", "Jaren: ",
         "Meer informatie: ", "Kolommen:")  # fmt: skip
ENGLISH = ("Licence: ", "Publisher: ", "Date of this description: ", "Years: ",
           "More information: ", "Columns:")  # fmt: skip


@pytest.mark.parametrize("name", sorted(opendata.DATASETS))
def test_a_description_on_a_dutch_page_has_dutch_labels_only(client, name):
    client.cookies["django_language"] = "nl"
    text = client.get(f"/open-data/{name}.txt").content.decode()
    for label in DUTCH:
        assert f"\n{label}" in text, label
    for label in ENGLISH:
        assert label not in text, label


def test_a_description_on_an_english_page_has_english_labels(client):
    client.cookies["django_language"] = "en"  # the site's language switch
    text = client.get("/open-data/transacties.txt").content.decode()
    for label in ENGLISH:
        assert f"\n{label}" in text, label
    assert "Licentie" not in text and "Kolommen" not in text


@override_settings(SITE_URL="https://burgerkracht.gemeente-voorbeeld.nl/")
def test_more_information_points_to_the_public_address_not_the_host_asked(client):
    client.cookies["django_language"] = "nl"
    text = client.get("/open-data/transacties.txt", HTTP_HOST="127.0.0.1:8791").content.decode()
    assert (
        "Meer informatie: https://burgerkracht.gemeente-voorbeeld.nl/open-data/#transacties\n"
        in text
    )
    assert "127.0.0.1" not in text
