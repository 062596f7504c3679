"""Two rounds over one fund: the money one round promised its residents at freezing is not
promised again by the other until it is booked or the board rejects it (the helper's note of
2026-12-06: rounds sharing a fund were not split; both could put the same euros on a ballot)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgeting import services
from budgeting.models import Round
from tests.budgeting.factories import rejected, round_in
from tests.sroi.factories import funded

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rounds(area, civil_servant, community_member):
    """Round A frozen (then voting) with all of the fund's € 5.000; round B over the same fund
    with its plans reviewed, not frozen."""
    fund = funded("5000.00")

    def make(status, name):
        return round_in(
            status, area=area, civil_servant=civil_servant, author=community_member,
            costs=(500, 1000, 1500), name=name, fund=fund,
        )  # fmt: skip

    second = make(Round.Status.REVIEW, "Ronde B")  # reviewed while the money was free
    first = make(Round.Status.VOTING, "Ronde A")
    return fund, first, second


def test_a_second_round_gets_only_what_the_first_did_not_promise(two_rounds, civil_servant):
    """Old code: round B's budget was the fund's € 5.000 again, so it could be frozen and put
    the same money on a second ballot."""
    fund, first, second = two_rounds
    assert first.budget == Decimal("5000.00")
    assert services.budget_now(second) == Decimal("0.00")
    with pytest.raises(ValidationError, match="beloofd aan een andere ronde: Ronde A"):
        services.freeze_round(actor=civil_servant, round=second)
    second.refresh_from_db()
    assert second.status == Round.Status.REVIEW and second.budget is None
    funded("3000.00", fund=fund)  # new money came in after A was frozen
    assert services.budget_now(second) == Decimal("3000.00")
    second = services.freeze_round(actor=civil_servant, round=second)
    assert second.budget == Decimal("3000.00")


def test_money_a_rejected_round_promised_is_free_again(two_rounds, area, civil_servant):
    _fund, first, second = two_rounds
    rejected(first, area=area, civil_servant=civil_servant)
    assert services.budget_now(second) == Decimal("5000.00")


def test_a_plan_above_what_is_left_is_not_feasible_and_the_reviewer_reads_why(
    two_rounds, civil_servant, community_member
):
    _fund, _first, second = two_rounds
    plan = second.plans.first()
    with pytest.raises(ValidationError, match="niet al aan een andere ronde is beloofd"):
        services.review_plan(actor=civil_servant, plan=plan, feasible=True)


def test_the_round_page_shows_what_a_resident_asked_when_the_review_lowered_the_cost(
    make_round, civil_servant, client
):
    """The helper's note of 2026-12-06: the page showed only the lower cost, so a resident could
    not see that the municipality changed what they asked for, or why."""
    round = make_round(Round.Status.IDEAS, costs=(6000, 1000), money="5000.00")
    big = round.plans.get(cost=6000)
    services.review_plan(
        actor=civil_servant, plan=big, feasible=True, reviewed_cost=4000, reason="Zonder hekwerk."
    )
    page = client.get(round.get_absolute_url()).content.decode()
    assert "Kosten: €\xa04.000" in page or "Kosten: € 4.000" in page
    assert "De indiener vroeg €\xa06.000" in page
    assert "Waarom: Zonder hekwerk." in page
    assert page.count('data-testid="asked-cost"') == 1  # not for the plan reviewed as asked
