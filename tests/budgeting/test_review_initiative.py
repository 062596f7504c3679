"""A plan may name an initiative of the register; if the plan is funded, its money goes there.
The author could name anyone's (insider review 2026-12-05, docs/reviews/2026-12-05-budget.md),
so the civil servant's review of a feasible plan says whether that initiative may have it."""

import pytest
from django.urls import reverse

from budgeting import services
from budgeting.models import Plan, Round
from notifications.models import Notification
from tests.budgeting.factories import round_in
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(area, civil_servant, community_member):
    """A round in review with one plan by the member, naming somebody else's initiative."""
    round = round_in(
        Round.Status.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
        costs=(), min_plans=1,
    )  # fmt: skip
    other = InitiativeFactory(name="Stichting van een ander")
    plan = services.submit_plan(
        actor=community_member, round=round, title="Bankjes", description="Bankjes in het park.",
        cost=900, initiative=other,
    )  # fmt: skip
    services.start_review(actor=civil_servant, round=round)
    return plan


def _review(client, civil_servant, plan, **data):
    client.force_login(civil_servant)
    return client.post(reverse("budgeting:review_plan", args=[plan.pk]), data)


def test_the_review_page_shows_the_initiative_the_money_would_go_to(client, civil_servant, named):
    client.force_login(civil_servant)
    page = client.get(reverse("budgeting:review_plan", args=[named.pk])).content.decode()
    assert "Stichting van een ander" in page
    assert "Mag het geld van dit plan naar dit initiatief gaan?" in page


def test_a_feasible_plan_naming_an_initiative_is_not_reviewed_without_checking_it(
    client, civil_servant, named
):
    response = _review(client, civil_servant, named, feasible="1")
    assert response.status_code == 400
    assert "Zeg of het geld van dit plan naar dit initiatief mag gaan." in response.content.decode()
    named.refresh_from_db()
    assert named.feasibility == Plan.Feasibility.PENDING and named.initiative is not None
    assert not Notification.objects.exists()


def test_taking_the_initiative_off_needs_a_reason_for_the_author(
    client, civil_servant, community_member, named
):
    response = _review(client, civil_servant, named, feasible="1", keep_initiative="0")
    assert response.status_code == 400
    named.refresh_from_db()
    assert named.initiative is not None and named.feasibility == Plan.Feasibility.PENDING
    response = _review(
        client, civil_servant, named, feasible="1", keep_initiative="0",
        reason="U bent geen lid van deze stichting.",
    )  # fmt: skip
    assert response.status_code == 302
    named.refresh_from_db()
    assert named.initiative is None and named.feasibility == Plan.Feasibility.FEASIBLE
    assert Notification.objects.filter(user=community_member).exists()


def test_a_checked_initiative_stays(client, civil_servant, named):
    initiative = named.initiative
    assert (
        _review(client, civil_servant, named, feasible="1", keep_initiative="1").status_code == 302
    )
    named.refresh_from_db()
    assert named.initiative == initiative and named.feasibility == Plan.Feasibility.FEASIBLE


def test_an_unfeasible_plan_is_not_asked_about_its_initiative(client, civil_servant, named):
    # never funded, so its initiative gets no money
    response = _review(client, civil_servant, named, feasible="0", reason="Te duur.")
    assert response.status_code == 302
    named.refresh_from_db()
    assert named.feasibility == Plan.Feasibility.UNFEASIBLE


def test_a_plan_naming_no_initiative_is_reviewed_as_before(
    client, area, civil_servant, community_member
):
    round = round_in(
        Round.Status.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
        costs=(1000,), min_plans=1, name="Zonder",
    )  # fmt: skip
    services.start_review(actor=civil_servant, round=round)
    plan = round.plans.get()
    client.force_login(civil_servant)
    page = client.get(reverse("budgeting:review_plan", args=[plan.pk])).content.decode()
    assert "Mag het geld" not in page and "keep_initiative" not in page
    assert _review(client, civil_servant, plan, feasible="1").status_code == 302
    plan.refresh_from_db()
    assert plan.feasibility == Plan.Feasibility.FEASIBLE


def test_markup_in_an_initiative_s_name_is_shown_as_text(client, civil_servant, named):
    """Security review 2026-12-06 (S6): a help text is text, also when it names an initiative
    whose name a resident chose (a funded plan is registered under its author's title)."""
    named.initiative.name = '<a href="https://evil.example/">Log opnieuw in</a>'
    named.initiative.save()
    client.force_login(civil_servant)
    page = client.get(reverse("budgeting:review_plan", args=[named.pk])).content.decode()
    assert '<a href="https://evil.example/">' not in page
    assert "&lt;a href=&quot;https://evil.example/&quot;&gt;Log opnieuw in&lt;/a&gt;" in page
