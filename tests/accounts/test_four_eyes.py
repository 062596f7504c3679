"""Four eyes on verification codes (issue 11.3): staff never redeem codes or verify themselves,
every batch is recorded for review, and a large batch needs a second civil servant."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import MemberVerification, Role, User, VerificationCode, VerificationCodeBatch
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return UserFactory(username="collega", roles=[Role.CIVIL_SERVANT])


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("who", ["civil_servant", "administrator", "superuser"])
def test_no_staff_account_redeems_a_code_over_http(client, request, issue_code, who):
    # given a code printed by a civil servant, and a staff account logged in
    code = issue_code()
    staff = request.getfixturevalue(who)
    client.force_login(staff)
    # when they post it to the redeem page
    response = client.post(reverse("accounts:redeem"), {"code": code})
    # then they are refused, and the code is still unused
    assert response.status_code == 403
    assert not MemberVerification.objects.filter(user=staff).exists()
    assert VerificationCode.objects.get().used_at is None
    assert not User.objects.get(pk=staff.pk).has_role(Role.COMMUNITY_MEMBER)


def test_the_service_refuses_a_staff_account_too(civil_servant, issue_code):
    code = issue_code()
    with pytest.raises(ValidationError) as error:
        services.redeem_verification_code(actor=civil_servant, code=code)
    assert error.value.code == "staff"
    assert VerificationCode.objects.get().used_at is None


def test_a_civil_servant_cannot_verify_a_staff_account_as_member(civil_servant, colleague, area):
    with pytest.raises(ValidationError):
        services.verify_member(user=colleague, area=area, actor=civil_servant)
    with pytest.raises(ValidationError):
        services.verify_member(user=civil_servant, area=area, actor=civil_servant)
    assert not MemberVerification.objects.exists()


def test_the_redeem_page_is_not_offered_to_staff(client, civil_servant):
    client.force_login(civil_servant)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:redeem") not in profile


def test_every_batch_is_recorded_with_its_issuer(civil_servant, area):
    services.issue_verification_codes(area=area, count=3, actor=civil_servant)
    batch = VerificationCodeBatch.objects.get()
    assert (batch.issuer, batch.area, batch.count) == (civil_servant, area, 3)
    assert batch.printed_at is not None and not batch.needs_approval
    assert set(batch.codes.values_list("created_by", flat=True)) == {civil_servant.pk}


def test_a_large_batch_has_no_codes_until_a_colleague_approves(
    client, civil_servant, colleague, area, settings
):
    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 5
    client.force_login(civil_servant)
    # when the civil servant asks for more codes than the limit
    response = client.post(
        reverse("accounts:codes"), {"area": area.pk, "count": 6, "valid_days": 30}
    )
    batch = VerificationCodeBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "accounts:batch", args=[batch.pk]
    )
    # then no code exists yet, so none can be printed or redeemed
    assert not VerificationCode.objects.exists()
    refused = client.post(reverse("accounts:batch_print", args=[batch.pk]), follow=True)
    assert 'data-testid="verification-code"' not in refused.content.decode()
    assert not VerificationCode.objects.exists()
    # and they cannot approve their own batch
    page = client.get(reverse("accounts:batch", args=[batch.pk])).content.decode()
    assert reverse("accounts:batch_approve", args=[batch.pk]) not in page
    client.post(reverse("accounts:batch_approve", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.approved_at is None
    # when a colleague approves
    client.force_login(colleague)
    page = client.get(reverse("accounts:batch", args=[batch.pk])).content.decode()
    assert reverse("accounts:batch_approve", args=[batch.pk]) in page
    client.post(reverse("accounts:batch_approve", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.approved_by == colleague and batch.approved_at is not None
    # the colleague cannot print the codes; the issuer can, once
    client.post(reverse("accounts:batch_print", args=[batch.pk]))
    assert not VerificationCode.objects.exists()
    client.force_login(civil_servant)
    printed = client.post(reverse("accounts:batch_print", args=[batch.pk]))
    assert printed.content.decode().count('data-testid="verification-code"') == 6
    assert "no-store" in printed["Cache-Control"]
    again = client.post(reverse("accounts:batch_print", args=[batch.pk]), follow=True)
    assert 'data-testid="verification-code"' not in again.content.decode()
    assert VerificationCode.objects.count() == 6


def test_a_batch_at_the_limit_prints_at_once(client, civil_servant, area, settings):
    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 5
    client.force_login(civil_servant)
    response = client.post(
        reverse("accounts:codes"), {"area": area.pk, "count": 5, "valid_days": 30}
    )
    assert response.content.decode().count('data-testid="verification-code"') == 5


def test_an_administrator_cannot_approve_a_batch(administrator, civil_servant, area, settings):
    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 1
    batch = services.request_code_batch(area=area, count=2, actor=civil_servant)
    with pytest.raises(ValidationError):
        services.approve_code_batch(batch=batch, actor=administrator)
    batch.refresh_from_db()
    assert batch.approved_at is None


def test_the_database_refuses_self_approval(civil_servant, area, settings):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 1
    batch = services.request_code_batch(area=area, count=2, actor=civil_servant)
    with pytest.raises(IntegrityError), transaction.atomic():
        VerificationCodeBatch.objects.filter(pk=batch.pk).update(
            approved_by=civil_servant, approved_at=timezone.now()
        )


def test_the_review_page_lists_batches_with_use(client, civil_servant, colleague, area, issue_code):
    code = issue_code()
    services.register_with_code(username="nieuw", password="een-lang-wachtwoord-77", code=code)
    client.force_login(colleague)
    page = client.get(reverse("accounts:batches")).content.decode()
    assert "ambtenaar" in page and "Bijlmer-Centrum" in page
    row = page.split('data-testid="batches"')[1]
    assert "<td>1</td><td>1</td>" in re.sub(r"<td [^>]*>", "<td>", row)


def test_a_verified_member_cannot_be_given_a_staff_role(community_member, administrator):
    for role in (Role.CIVIL_SERVANT, Role.ADMINISTRATOR):
        with pytest.raises(ValidationError):
            services.set_roles(user=community_member, roles={role}, actor=administrator)
    assert User.objects.get(pk=community_member.pk).roles == [Role.COMMUNITY_MEMBER]
