"""Insiders cannot change a frozen round: a civil servant through the services, an
administrator (even a superuser) through the admin. Raw SQL: tests/integration."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgeting import services
from budgeting.models import Plan, Round
from tests.accounts.factories import UserFactory
from tests.budgeting.factories import round_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(area, civil_servant, community_member):
    return round_in(
        Round.Status.FROZEN, area=area, civil_servant=civil_servant, author=community_member
    )


def test_a_superuser_cannot_change_or_delete_a_round_or_plan_in_the_admin(client, frozen):
    boss = UserFactory(username="opperbeheerder", is_staff=True, is_superuser=True)
    client.force_login(boss)
    plan = frozen.plans.first()
    for model, obj, data in (
        ("round", frozen, {"title": "Anders", "min_plans": 1, "budget": "99999"}),
        ("plan", plan, {"title": "Anders", "cost": "1"}),
    ):
        change = reverse(f"admin:budgeting_{model}_change", args=[obj.pk])
        assert client.get(change).status_code == 200  # to read
        assert client.post(change, data).status_code == 403
        delete = reverse(f"admin:budgeting_{model}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        version = obj.history.first().history_id
        revert = reverse(f"admin:budgeting_{model}_simple_history", args=[obj.pk, version])
        assert client.post(revert, data).status_code == 403
    assert client.get(reverse("admin:budgeting_round_add")).status_code == 403
    frozen.refresh_from_db()
    plan.refresh_from_db()
    assert (frozen.min_plans, frozen.title) == (3, "Buurtbudget")
    assert (plan.title, plan.cost) == ("Plan 1", Decimal("1000.00"))


def test_a_civil_servant_cannot_change_a_frozen_round_in_any_service(
    frozen, civil_servant, community_member
):
    plan = frozen.plans.first()
    attempts = [
        lambda: services.update_round(actor=civil_servant, round=frozen, min_plans=1),
        lambda: services.update_round(actor=civil_servant, round=frozen, tie_break="earlier"),
        lambda: services.review_plan(
            actor=civil_servant, plan=plan, feasible=True, reviewed_cost=1, reason="goedkoper"
        ),  # fmt: skip
        lambda: services.freeze_round(actor=civil_servant, round=frozen),
        lambda: services.submit_plan(
            actor=community_member, round=frozen, title="Laat", description="x", cost=10
        ),  # fmt: skip
        lambda: services.open_ideas(actor=civil_servant, round=frozen),
    ]
    before = (frozen.budget, list(Plan.objects.values_list("cost", "reviewed_cost", "number")))
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    frozen.refresh_from_db()
    assert (
        frozen.budget,
        list(Plan.objects.values_list("cost", "reviewed_cost", "number")),
    ) == before
    assert frozen.status == Round.Status.FROZEN
