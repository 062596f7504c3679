"""Rate limits on casting a vote (per person) and on an initiator's intake link (per address)."""

import pytest
from django.urls import reverse

from governance.models import Choice, Side, Vote
from intake import services as intake_services
from intake.models import Answer
from tests.governance.factories import board, voting
from tests.intake.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def test_casting_a_vote_is_limited_per_person_not_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "vote": "2/h"}
    body, voters = board(community=3, institution=2)
    proposal = voting(body=body)
    url = reverse("governance:vote", args=[proposal.pk])
    first, second = voters[Side.COMMUNITY][:2]
    client.force_login(first)
    codes = [client.post(url, {"choice": Choice.FOR}).status_code for _ in range(3)]
    assert codes[2] == 429
    assert "Retry-After" in client.post(url, {"choice": Choice.AGAINST})
    assert Vote.objects.filter(proposal=proposal).count() == 1
    assert Vote.objects.get(proposal=proposal).choice == Choice.FOR  # nothing after the limit
    # Another voter on the same address (a Community Home) still votes.
    client.force_login(second)
    assert client.post(url, {"choice": Choice.AGAINST}).status_code != 429
    assert Vote.objects.filter(proposal=proposal).count() == 2


def test_an_intake_link_is_limited_per_address(client, settings, civil_servant):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "intake_link": "2/h"}
    intake, token = intake_services.invite_initiator(
        initiative=InitiativeFactory(), actor=civil_servant
    )
    url = reverse("intake:link", args=[token])
    codes = [client.post(url, {"q7": "8", "action": "save"}).status_code for _ in range(3)]
    assert codes[2] == 429
    assert client.get(url).status_code == 200  # reading is never limited
    before = Answer.objects.filter(intake=intake).count()
    assert client.post(url, {"q7": "3", "action": "save"}).status_code == 429
    assert Answer.objects.filter(intake=intake).count() == before
    # An unknown token from the same address is refused by the limit as well.
    assert client.post(reverse("intake:link", args=["x" * 43]), {}).status_code == 429
