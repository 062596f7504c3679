"""The round page's query count does not grow with its plans and ballots."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgeting import services
from budgeting.models import Round
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.clock import at_closing

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _computed(area, civil_servant, author, plans: int, voters: int, name: str) -> Round:
    round = round_in(
        Round.Status.VOTING, area=area, civil_servant=civil_servant, author=author,
        costs=[100 * (i + 1) for i in range(plans)], min_plans=3, name=name,
    )  # fmt: skip
    ids = list(round.plans.values_list("pk", flat=True))
    for i in range(voters):
        voter = resident_of(area, civil_servant, f"{name}-{i}")
        services.cast_ballot(
            actor=voter, round=round, plans=[ids[(i + k) % len(ids)] for k in range(3)]
        )
    with at_closing(round.voting_closes_at + HOUR):
        return services.compute_outcome(actor=civil_servant, round=round)


def test_the_round_page_costs_the_same_queries_for_4_or_40_plans(
    client, area, civil_servant, community_member
):
    small = _computed(area, civil_servant, community_member, 4, 3, "klein")
    large = _computed(area, civil_servant, community_member, 40, 30, "groot")
    client.force_login(community_member)
    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())
