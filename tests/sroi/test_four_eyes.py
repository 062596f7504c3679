"""Four eyes on social return: whoever records a realisation cannot verify it (issue 11.5)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from sroi import services
from sroi.models import Realisation, TargetGroup
from tests.accounts.factories import UserFactory

from .factories import ContractFactory, block

pytestmark = pytest.mark.django_db


def _claim(actor):
    return services.claim_realisation(
        contract=ContractFactory(),
        block=block("ww"),
        target_group=TargetGroup.UNEMPLOYMENT,
        person_reference="P-1",
        start_date=datetime.date(2025, 2, 1),
        months=Decimal("6"),
        hours_per_week=Decimal("36"),
        actor=actor,
    )


def test_the_claimant_cannot_verify_their_own_realisation(civil_servant):
    realisation = _claim(civil_servant)
    with pytest.raises(ValidationError, match="Een andere ambtenaar"):
        services.verify_realisation(realisation=realisation, actor=civil_servant)
    realisation.refresh_from_db()
    assert realisation.status == Realisation.Status.CLAIMED
    assert realisation.decided_by is None


def test_a_colleague_verifies_the_realisation(civil_servant):
    realisation = _claim(civil_servant)
    colleague = UserFactory(username="collega", roles=[Role.CIVIL_SERVANT])
    services.verify_realisation(realisation=realisation, actor=colleague)
    realisation.refresh_from_db()
    assert realisation.status == Realisation.Status.VERIFIED
    assert realisation.decided_by == colleague


def test_the_claimant_posting_verify_over_http_changes_nothing(client, civil_servant):
    # given a realisation the civil servant recorded through the page
    realisation = _claim(civil_servant)
    client.force_login(civil_servant)
    # when the page is shown, it offers no verify button to them
    page = client.get(reverse("sroi:realisation", args=[realisation.pk])).content.decode()
    assert reverse("sroi:verify", args=[realisation.pk]) not in page
    assert 'data-testid="four-eyes"' in page
    # and a hand-made POST is refused with a message
    response = client.post(reverse("sroi:verify", args=[realisation.pk]), follow=True)
    assert "Een andere ambtenaar" in response.content.decode()
    realisation.refresh_from_db()
    assert realisation.status == Realisation.Status.CLAIMED
    assert realisation.history.count() == 1


def test_a_colleague_sees_and_uses_the_verify_button(client, civil_servant):
    realisation = _claim(civil_servant)
    colleague = UserFactory(username="collega", roles=[Role.CIVIL_SERVANT])
    client.force_login(colleague)
    page = client.get(reverse("sroi:realisation", args=[realisation.pk])).content.decode()
    assert reverse("sroi:verify", args=[realisation.pk]) in page
    client.post(reverse("sroi:verify", args=[realisation.pk]))
    realisation.refresh_from_db()
    assert realisation.status == Realisation.Status.VERIFIED
