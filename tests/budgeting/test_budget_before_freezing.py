"""Before a round is frozen its page and the plan form say what budget it would get now (the
money free in its fund, less what other rounds promised): a resident handing in a plan knows
what a plan may cost. Once frozen, the page shows the fixed budget only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgeting import services
from budgeting.models import Round
from tests.budgeting.factories import round_in

pytestmark = pytest.mark.django_db


def _text(response, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</', response.content.decode(), re.S)
    return found.group(1) if found else ""


def test_a_round_collecting_plans_shows_the_money_free_for_it_now(
    client, area, civil_servant, community_member
):
    round = round_in(
        Round.Status.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
        money="5000.00",
    )  # fmt: skip
    client.force_login(community_member)
    page = client.get(round.get_absolute_url())
    assert "5.000" in _text(page, "budget-now")
    assert "vrij in het fonds" in _text(page, "budget-now")
    assert _text(page, "budget") == ""  # no fixed budget yet
    form = client.get(reverse("budgeting:submit_plan", args=[round.pk]))
    assert form.status_code == 200
    assert "5.000" in _text(form, "budget-now")


def test_money_another_round_promised_is_not_shown_as_free(
    client, area, civil_servant, community_member
):
    voting = round_in(
        Round.Status.VOTING, area=area, civil_servant=civil_servant, author=community_member,
        money="5000.00", name="Eerste",
    )  # fmt: skip
    assert voting.budget == 5000
    later = services.create_round(
        actor=civil_servant, title="Tweede", fund=voting.fund, area=area, min_plans=3
    )
    later = services.open_ideas(actor=civil_servant, round=later)
    client.force_login(community_member)
    assert "geen vrij geld" in _text(client.get(later.get_absolute_url()), "budget-now")
    # and the frozen round shows its fixed budget, not what is free today
    page = client.get(voting.get_absolute_url())
    assert "5.000" in _text(page, "budget")
    assert 'data-testid="budget-now"' not in page.content.decode()


def test_the_page_of_a_round_collecting_plans_costs_the_same_queries_for_4_or_40_plans(
    client, area, civil_servant, community_member
):
    def queries(name, plans):
        round = round_in(
            Round.Status.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
            costs=[100 * (i + 1) for i in range(plans)], name=name,
        )  # fmt: skip
        with CaptureQueriesContext(connection) as context:
            assert client.get(round.get_absolute_url()).status_code == 200
        return len(context)

    client.force_login(community_member)
    small, large = queries("klein", 4), queries("groot", 40)
    assert small == large
    assert small <= 12
