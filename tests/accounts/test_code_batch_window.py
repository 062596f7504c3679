"""Four eyes on code batches counts a person's codes over days, not per batch (security review S1).

A batch waits for a second civil servant when the codes its issuer asked in the last
VERIFICATION_BATCH_APPROVAL_DAYS days (every batch: printed, waiting or approved), this batch
included, are more than VERIFICATION_BATCH_APPROVAL_ABOVE. Two requests at once are tested on
PostgreSQL in tests/integration/test_code_batch_window.py.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from accounts import services
from accounts.models import Role, VerificationCode, VerificationCodeBatch
from accounts.services.codes import approval_reason
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def colleague(db):
    return UserFactory(username="collega-reeksen", roles=[Role.CIVIL_SERVANT])


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 20
    settings.VERIFICATION_BATCH_APPROVAL_DAYS = 7


def _ask(client, user, area, count=20):
    # Logged in at the frozen time: days apart, a staff session would have timed out.
    client.force_login(user)
    return client.post(
        reverse("accounts:codes"), {"area": area.pk, "count": count, "valid_days": 30}
    )


def test_three_batches_of_20_in_a_week_never_print_60_codes_alone(
    client, civil_servant, colleague, area
):
    # given a civil servant who printed a batch of 20 on Monday
    with freeze_time(MONDAY):
        first = _ask(client, civil_servant, area)
    assert first.content.decode().count('data-testid="verification-code"') == 20
    # when they ask a second batch of 20 on Wednesday, it waits for a colleague
    with freeze_time(MONDAY + timedelta(days=2)):
        second = _ask(client, civil_servant, area)
    batch = VerificationCodeBatch.objects.order_by("pk").last()
    assert second.status_code == 302 and second.url == reverse("accounts:batch", args=[batch.pk])
    assert batch.needs_approval and batch.printed_at is None and not batch.codes.exists()
    message = [str(m) for m in get_messages(second.wsgi_request)][-1]
    assert message.startswith("U hebt de afgelopen 7 dagen al 20 codes gevraagd.")
    # a colleague approves it, and the issuer prints it
    with freeze_time(MONDAY + timedelta(days=2, hours=1)):
        services.approve_code_batch(batch=batch, actor=colleague)
        assert len(services.print_code_batch(batch=batch, actor=civil_servant)) == 20
    # then the third batch of 20 on Friday waits too: approved batches count as well
    with freeze_time(MONDAY + timedelta(days=4)):
        third = _ask(client, civil_servant, area)
    batch = VerificationCodeBatch.objects.order_by("pk").last()
    assert third.status_code == 302 and third.url == reverse("accounts:batch", args=[batch.pk])
    assert batch.needs_approval and batch.approved_at is None and batch.printed_at is None
    assert VerificationCode.objects.count() == 40
    # and the civil servant reads why, in Dutch
    message = [str(m) for m in get_messages(third.wsgi_request)][
        -1
    ]  # the second message was never shown
    assert message.startswith(
        "U hebt de afgelopen 7 dagen al 40 codes gevraagd. Met deze reeks erbij zijn dat er 60. "
        "Bij meer dan 20 codes in 7 dagen moet een andere ambtenaar eerst goedkeuren."
    )
    assert "Uw aanvraag is opgeslagen." in message


def test_after_seven_days_earlier_batches_no_longer_count(civil_servant, area):
    with freeze_time(MONDAY):
        services.issue_verification_codes(area=area, count=20, actor=civil_servant)
    # six days later Monday's batch still counts ...
    with freeze_time(MONDAY + timedelta(days=6, hours=23)):
        assert services.request_code_batch(area=area, count=1, actor=civil_servant).needs_approval
    # ... after seven days it does not; the waiting one of day 6 still does
    with freeze_time(MONDAY + timedelta(days=7, minutes=1)):
        batch, codes = services.issue_code_batch(area=area, count=19, actor=civil_servant)
    assert not batch.needs_approval and len(codes) == 19
    with freeze_time(MONDAY + timedelta(days=15)):
        batch, codes = services.issue_code_batch(area=area, count=20, actor=civil_servant)
    assert not batch.needs_approval and len(codes) == 20


def test_waiting_and_approved_batches_count_too(civil_servant, colleague, area):
    # given a large batch a colleague approved, and it is not printed yet
    large = services.request_code_batch(area=area, count=30, actor=civil_servant)
    services.approve_code_batch(batch=large, actor=colleague)
    # then even one more code in the same week needs a second pair of eyes
    small = services.request_code_batch(area=area, count=1, actor=civil_servant)
    assert small.needs_approval
    with translation.override("en"):
        assert approval_reason(small) == (
            "You have already asked for 30 codes in the last 7 days. With this batch that makes "
            "31. Above 20 codes in 7 days, another civil servant must approve."
        )


def test_only_the_issuer_s_own_batches_count(civil_servant, colleague, area):
    services.issue_verification_codes(area=area, count=20, actor=colleague)
    batch, codes = services.issue_code_batch(area=area, count=20, actor=civil_servant)
    assert not batch.needs_approval and len(codes) == 20


def test_the_limit_itself_is_reached_without_approval(civil_servant, area):
    services.issue_verification_codes(area=area, count=15, actor=civil_servant)
    batch, codes = services.issue_code_batch(area=area, count=5, actor=civil_servant)
    assert not batch.needs_approval and len(codes) == 5
    assert services.request_code_batch(area=area, count=1, actor=civil_servant).needs_approval


def test_a_batch_above_the_limit_on_its_own_says_so(civil_servant, area):
    batch = services.request_code_batch(area=area, count=21, actor=civil_servant)
    with translation.override("nl"):
        assert approval_reason(batch) == (
            "Meer dan 20 codes tegelijk moet een andere ambtenaar eerst goedkeuren."
        )


def test_printing_at_once_is_refused_with_the_reason_and_leaves_nothing(civil_servant, area):
    services.issue_verification_codes(area=area, count=1, actor=civil_servant)
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        services.issue_verification_codes(area=area, count=20, actor=civil_servant)
    assert refused.value.messages == [
        "U hebt de afgelopen 7 dagen al 1 code gevraagd. Met deze reeks erbij zijn dat er 21. "
        "Bij meer dan 20 codes in 7 dagen moet een andere ambtenaar eerst goedkeuren."
    ]
    assert VerificationCodeBatch.objects.count() == 1  # the refused batch was rolled back


def test_the_window_is_a_setting(civil_servant, area, settings):
    settings.VERIFICATION_BATCH_APPROVAL_DAYS = 1
    with freeze_time(MONDAY):
        services.issue_verification_codes(area=area, count=20, actor=civil_servant)
    with freeze_time(MONDAY + timedelta(hours=23)):
        assert services.request_code_batch(area=area, count=1, actor=civil_servant).needs_approval
    with freeze_time(MONDAY + timedelta(days=1, minutes=1)):
        batch, _codes = services.issue_code_batch(area=area, count=20, actor=civil_servant)
    assert batch.needs_approval  # the first 20 no longer count; the waiting one of 8:00 does
    with freeze_time(MONDAY + timedelta(days=2, minutes=1)):
        batch, _codes = services.issue_code_batch(area=area, count=20, actor=civil_servant)
    assert not batch.needs_approval
