"""The demo tells a believable story: its initiatives are in its own neighbourhoods, and its
votes have days of discussion and a week of voting, in the past."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Area
from governance.demo import POLL_RULE
from governance.models import DecisionRule, Proposal, Vote
from initiatives.demo import DEMO_INITIATIVES
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db

ELSEWHERE = ("Haarlem", "Den Bosch", "Austerlitz")


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0, force=True)


def test_the_demo_story_is_believable(demo):
    # Seeding takes a while: one test, three parts.
    check_every_demo_initiative_is_from_the_demos_own_neighbourhoods()
    check_the_rejected_vote_has_days_of_discussion_and_a_week_of_voting_in_the_past()
    check_the_open_poll_was_discussed_first_and_both_demo_rules_ask_a_week()


def check_every_demo_initiative_is_from_the_demos_own_neighbourhoods():
    zuidoost = Area.objects.get(slug="zuidoost")
    own = {zuidoost.pk, *zuidoost.children.values_list("pk", flat=True)}
    initiatives = Initiative.objects.filter(slug__in=[s["slug"] for s in DEMO_INITIATIVES])
    assert initiatives.count() == len(DEMO_INITIATIVES)
    for initiative in initiatives:
        assert initiative.area_id in own, initiative
        for place in ELSEWHERE:
            assert place not in initiative.name and place not in initiative.summary, initiative


def check_the_rejected_vote_has_days_of_discussion_and_a_week_of_voting_in_the_past():
    proposal = Proposal.objects.get(status=Proposal.Status.REJECTED)
    rule = proposal.body.decision_rule
    assert rule.min_discussion_days >= 7
    assert proposal.opens_at - proposal.discussion_started_at >= timedelta(
        days=rule.min_discussion_days
    )
    assert proposal.closes_at - proposal.opens_at == timedelta(days=7)
    assert proposal.closes_at < timezone.now()
    assert proposal.decision.decided_at == proposal.closes_at
    for vote in Vote.objects.filter(proposal=proposal):
        assert proposal.opens_at <= vote.cast_at < proposal.closes_at
    for comment in proposal.comments.all():
        assert proposal.discussion_started_at <= comment.created_at < proposal.opens_at


def check_the_open_poll_was_discussed_first_and_both_demo_rules_ask_a_week():
    # The demo's open poll (the Community Home's poll with paper votes is decided already).
    poll = Proposal.objects.get(method=Proposal.Method.POLL, status=Proposal.Status.VOTING)
    assert poll.voting_is_open()
    assert poll.opens_at - poll.discussion_started_at >= timedelta(days=7)
    assert DecisionRule.objects.get(name=POLL_RULE).min_discussion_days == 7


def test_an_older_demo_database_gets_the_initiatives_renamed_in_place():
    call_command("seed_demo", verbosity=0, force=True)
    initiative = Initiative.objects.get(slug="burenmarkt-gaasperdam")
    Initiative.objects.filter(pk=initiative.pk).update(slug="buuv-haarlem", name="BUUV Haarlem")
    call_command("seed_demo", verbosity=0, force=True)
    initiative.refresh_from_db()
    assert (initiative.slug, initiative.name) == ("burenmarkt-gaasperdam", "Burenmarkt Gaasperdam")
    assert not Initiative.objects.filter(slug="buuv-haarlem").exists()
