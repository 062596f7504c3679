"""The service contract in accounts (issue 19): the service itself asks the rule the page asks,
never the system, and the actor is the audit user outside a request too."""

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import MemberVerification, Role, VerificationCodeBatch
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(area, civil_servant, settings):
    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 5
    return {
        "area": area,
        "resident": UserFactory(username="buurman"),
        "verification": services.verify_member(
            user=UserFactory(username="buurvrouw"), area=area, actor=civil_servant
        ),
        "large": services.request_code_batch(area=area, count=10, actor=civil_servant),
    }


CALLS = {
    "verify_member": lambda t, actor: services.verify_member(
        user=t["resident"], area=t["area"], actor=actor
    ),
    "revoke_verification": lambda t, actor: services.revoke_verification(
        verification=t["verification"], reason="Verhuisd", actor=actor
    ),
    "request_code_batch": lambda t, actor: services.request_code_batch(
        area=t["area"], count=1, actor=actor
    ),
    "issue_code_batch": lambda t, actor: services.issue_code_batch(
        area=t["area"], count=1, actor=actor
    ),
    "issue_verification_codes": lambda t, actor: services.issue_verification_codes(
        area=t["area"], count=1, actor=actor
    ),
    "approve_code_batch": lambda t, actor: services.approve_code_batch(
        batch=t["large"], actor=actor
    ),
    "print_code_batch": lambda t, actor: services.print_code_batch(batch=t["large"], actor=actor),
    "set_roles": lambda t, actor: services.set_roles(
        user=t["resident"], roles={Role.YOUTH_COUNCIL}, actor=actor
    ),
}


def _written():
    return (
        MemberVerification.objects.filter(revoked_at__isnull=True).count(),
        list(VerificationCodeBatch.objects.values_list("approved_at", "printed_at")),
        VerificationCodeBatch.objects.count(),
    )


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_role_without_the_rule_or_the_system_is_refused_by_the_service(
    name, things, community_member, advisory_member
):
    before = _written()
    for actor in (community_member, advisory_member, None):
        with pytest.raises(ValidationError) as refused:
            CALLS[name](things, actor)
        assert refused.value.code == "forbidden"
    assert _written() == before
    assert things["resident"].roles == []


def test_roles_are_changed_by_administrators_only(things, civil_servant, administrator):
    with pytest.raises(ValidationError) as refused:
        services.set_roles(user=things["resident"], roles={Role.YOUTH_COUNCIL}, actor=civil_servant)
    assert refused.value.code == "forbidden"
    services.set_roles(user=things["resident"], roles={Role.YOUTH_COUNCIL}, actor=administrator)
    assert UserFactory(username="buurman").roles == [Role.YOUTH_COUNCIL]


def test_a_code_batch_that_needs_no_approval_is_requested_and_printed_in_one_go(
    things, civil_servant, settings
):
    # the waiting batch of 10 made with `things` counts in the issuer's 7 days: 10 + 3 ≤ 15
    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 15
    batch, codes = services.issue_code_batch(area=things["area"], count=3, actor=civil_servant)
    assert len(codes) == 3 and batch.printed_at is not None
    waiting, none = services.issue_code_batch(area=things["area"], count=6, actor=civil_servant)
    assert none == [] and waiting.needs_approval and waiting.printed_at is None


def test_the_actor_is_the_audit_user_outside_a_request(things, civil_servant):
    colleague = UserFactory(username="collega", roles=[Role.CIVIL_SERVANT])
    batch = services.approve_code_batch(batch=things["large"], actor=colleague)
    services.print_code_batch(batch=batch, actor=civil_servant)
    users = list(batch.history.order_by("history_date").values_list("history_user", flat=True))
    assert users == [civil_servant.pk, colleague.pk, civil_servant.pk]
    verification = things["verification"]
    services.revoke_verification(verification=verification, reason="Verhuisd", actor=colleague)
    assert verification.history.latest().history_user == colleague


def test_a_code_is_redeemed_by_its_actor_who_is_the_audit_user(issue_code):
    resident = UserFactory(username="nieuw")
    verification = services.redeem_verification_code(actor=resident, code=issue_code())
    assert verification.user == resident
    assert verification.history.get().history_user == resident
    with pytest.raises(TypeError):
        services.redeem_verification_code(user=resident, code="ABCD")
