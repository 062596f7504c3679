"""Four eyes on code batches under real concurrency on PostgreSQL (security review S1).

`accounts.services.codes.request_code_batch` locks the issuer's row (`SELECT … FOR UPDATE`)
before it counts the codes that person asked in the window, so requests of one civil servant at
the same moment run one after the other and each counts the batches of the ones before it.
Without the lock every request would count the same earlier codes and all could print at once.
"""

import pytest
from django.db.models import Sum

from accounts import services
from accounts.models import Role, VerificationCode, VerificationCodeBatch
from tests.accounts.factories import AreaFactory, UserFactory

from .concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issuer(settings):
    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 20
    settings.VERIFICATION_BATCH_APPROVAL_DAYS = 7
    return UserFactory(username="ambtenaar-reeksen-tegelijk", roles=[Role.CIVIL_SERVANT])


@pytest.fixture
def area():
    return AreaFactory(name="Holendrecht", slug="holendrecht-reeksen-tegelijk")


@pytest.mark.parametrize(("threads", "count"), [(2, 15), (8, 5)])
def test_batches_asked_at_once_do_not_all_slip_under_the_limit(issuer, area, threads, count):
    # given nothing asked this week; when `threads` batches are asked at the same moment
    results = run_together(
        threads,
        lambda i: services.issue_code_batch(area=area, count=count, actor=issuer),
    )
    # then none failed, and only as many as fit under the limit printed without a colleague
    assert not [r for r in results if isinstance(r, Exception)], results
    printed = VerificationCodeBatch.objects.filter(issuer=issuer, needs_approval=False)
    waiting = VerificationCodeBatch.objects.filter(issuer=issuer, needs_approval=True)
    assert printed.count() == 20 // count
    assert waiting.count() == threads - 20 // count
    assert printed.aggregate(total=Sum("count"))["total"] <= 20
    assert not waiting.filter(printed_at__isnull=False).exists()
    assert VerificationCode.objects.filter(created_by=issuer).count() == 20 // count * count
