"""A proposal cannot open for voting seconds after its discussion starts: the decision rule's
minimum discussion period (days) is enforced in the service, with a clear message."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from governance import services
from governance.models import ElectorateEntry, Proposal

from .factories import DecisionRuleFactory, board, in_discussion

pytestmark = pytest.mark.django_db


def test_new_rules_wait_a_week_by_default():
    from governance.models import DecisionRule

    assert DecisionRule(name="x").min_discussion_days == 7


def test_voting_cannot_open_before_the_discussion_period_and_nothing_is_written(civil_servant):
    # given: a body whose rule asks for 7 days of discussion, and a proposal just published
    body, _voters = board(decision_rule=DecisionRuleFactory(min_discussion_days=7))
    start = timezone.now()
    with freeze_time(start):
        proposal = in_discussion(body=body)
    assert proposal.discussion_started_at == start
    # when: a civil servant opens voting a few seconds (and six days) later
    for later in (timedelta(seconds=5), timedelta(days=6, hours=23)):
        with freeze_time(start + later), pytest.raises(ValidationError) as raised:
            services.open_voting(
                proposal=proposal,
                closes_at=start + later + timedelta(days=7),
                actor=civil_servant,
            )
        # then: refused with the reason and the first possible moment; nothing changed
        assert raised.value.code == "discussion_period"
        assert "7" in raised.value.messages[0]
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.DISCUSSION and proposal.opens_at is None
        assert not ElectorateEntry.objects.exists()
    # after seven days it opens
    with freeze_time(start + timedelta(days=7)):
        services.open_voting(
            proposal=proposal, closes_at=start + timedelta(days=14), actor=civil_servant
        )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.VOTING


def test_a_poll_uses_its_own_rule(civil_servant, area):
    from .factories import draft

    proposal = draft(
        method=Proposal.Method.POLL,
        areas=[area],
        decision_rule=DecisionRuleFactory(
            quorum="none", community_guarantee=False, min_discussion_days=3
        ),
    )
    services.start_discussion(proposal=proposal, actor=civil_servant)
    with pytest.raises(ValidationError) as raised:
        services.open_voting(
            proposal=proposal, closes_at=timezone.now() + timedelta(days=1), actor=civil_servant
        )
    assert raised.value.code == "discussion_period"


def test_the_open_voting_page_explains_the_wait_in_dutch(client, civil_servant):
    body, _voters = board(decision_rule=DecisionRuleFactory(min_discussion_days=7))
    proposal = in_discussion(body=body)
    client.force_login(civil_servant)
    closes = (timezone.localtime() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("governance:open_voting", args=[proposal.pk]), {"closes_at": closes}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "De bespreking duurt minstens 7 dagen." in html
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DISCUSSION
    assert not ElectorateEntry.objects.exists()
    # the proposal page tells the civil servant from when voting can open
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Stemmen kan open vanaf" in page
