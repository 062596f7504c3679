"""The demo's budget round: this year's round is open, and the demo members can vote in it."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from budgeting.demo import THIS_YEAR_TITLE
from budgeting.models import Plan, Round

pytestmark = pytest.mark.django_db


def test_this_years_round_is_open_for_the_demo_members_and_seeding_twice_adds_nothing():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    round = Round.objects.get(title=THIS_YEAR_TITLE.format(year=timezone.localdate().year))
    assert round.status == Round.Status.VOTING and round.budget > 0
    assert round.plans.filter(number__isnull=False).count() == 6
    unfeasible = round.plans.get(feasibility=Plan.Feasibility.UNFEASIBLE)
    assert unfeasible.number is None and unfeasible.review_reason
    for username in ("bewoner", "jongere"):
        assert User.objects.get(username=username).has_perm("budgeting.vote", round)
    assert not User.objects.get(username="ambtenaar").has_perm("budgeting.vote", round)
