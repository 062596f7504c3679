"""The proposal list's FilterSet: `?status=` one of the statuses; another value is ignored."""

import pytest
from django.urls import reverse

from governance import selectors
from governance.filters import ProposalFilter
from governance.models import Proposal

from .factories import in_discussion, voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals():
    in_discussion(title="Besproken")
    voting(title="In stemming")


def titles(params: dict) -> list[str]:
    filterset = ProposalFilter(params, queryset=selectors.proposals_for_list())
    return sorted(proposal.title for proposal in filterset.qs)


def test_a_status_filters_the_proposals(proposals):
    assert titles({"status": Proposal.Status.VOTING}) == ["In stemming"]
    assert titles({"status": Proposal.Status.DISCUSSION}) == ["Besproken"]


def test_an_unknown_status_is_ignored(proposals):
    assert titles({"status": "geheim"}) == ["Besproken", "In stemming"]


def test_the_page_with_an_unknown_status_lists_every_proposal(client, proposals):
    response = client.get(reverse("governance:list"), {"status": "geheim"})
    assert response.status_code == 200
    assert sorted(p.title for p in response.context["page"]) == ["Besproken", "In stemming"]
    assert response.context["status"] == ""
