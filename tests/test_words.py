"""Words a first visitor tripped over: English in a Dutch history, "1 initiatieven", "p.m.."."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.governance.factories import in_discussion
from tests.sroi.factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_the_contract_history_says_what_happened_in_dutch(client, civil_servant):
    from sroi import services

    contract = ContractFactory()
    services.update_contract(contract=contract, actor=civil_servant, title="Nieuwe titel")
    client.force_login(civil_servant)
    html = client.get(f"/sroi/contracten/{contract.pk}/beheer/").content.decode()
    assert "Gewijzigd" in html
    assert "Created" not in html and "Changed" not in html


def test_an_english_time_at_the_end_of_a_sentence_has_one_full_stop(client, civil_servant):
    from governance import services

    proposal = in_discussion()
    closes = datetime.datetime(2099, 12, 3, 19, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    services.open_voting(proposal=proposal, closes_at=closes, actor=civil_servant)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "3 December 2099, 19:00." in html
    assert ".." not in html.replace("...", "")
