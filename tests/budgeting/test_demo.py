"""The demo's budget rounds: this year's round is open, and the demo members can vote in it; the
youth round collects plans, and they can hand one in."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from budgeting.demo import THIS_YEAR_TITLE
from budgeting.models import Ballot, Plan, Round
from governance.officing.demo import LOCATION, OFFICERS
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def test_this_years_round_is_open_for_the_demo_members_and_seeding_twice_adds_nothing():
    call_command("seed_demo", verbosity=0, force=True)
    call_command("seed_demo", verbosity=0, force=True)
    round = Round.objects.get(title=THIS_YEAR_TITLE.format(year=timezone.localdate().year))
    assert round.status == Round.Status.VOTING and round.budget > 0
    assert round.plans.filter(number__isnull=False).count() == 6
    unfeasible = round.plans.get(feasibility=Plan.Feasibility.UNFEASIBLE)
    assert unfeasible.number is None and unfeasible.review_reason
    # nothing on the ballot costs more than the whole budget (review 2026-12-06, finding 8)
    assert all(p.vote_cost <= round.budget for p in round.plans.exclude(number=None))
    for username in ("bewoner", "jongere"):
        assert User.objects.get(username=username).has_perm("budgeting.vote", round)
    assert not User.objects.get(username="ambtenaar").has_perm("budgeting.vote", round)
    # two residents without a screen voted on paper at the Community Home
    paper = Ballot.objects.filter(round=round).order_by("pk")
    assert [b.channel for b in paper] == [Ballot.Channel.PAPER] * 2
    assert {b.voter.username for b in paper} == {"demo-kiezer-gerda", "demo-kiezer-kwame"}
    assert all(b.location.name == LOCATION and b.entered_by.username == OFFICERS[0][0]
               for b in paper)  # fmt: skip


def test_last_years_round_was_adopted_as_one_package_and_paid_in_two_tranches():
    from governance.models import Proposal
    from sroi import demo as sroi_demo
    from sroi.models import Allocation, Transaction

    call_command("seed_demo", verbosity=0, force=True)
    call_command("seed_demo", verbosity=0, force=True)
    last_year = sroi_demo.last_year(1, 1).year
    round = Round.objects.get(title=f"Buurtbudget Zuidoost {last_year}")
    assert round.status == Round.Status.COMMITTED
    assert timezone.localtime(round.computed_at).year == last_year
    assert round.proposal.kind == Proposal.Kind.FUND_PACKAGE
    assert round.proposal.status == Proposal.Status.EXECUTED
    decision = round.proposal.decision
    assert decision.reference.startswith(f"BK-{last_year}-")
    allocations = Allocation.objects.filter(decision_id=decision.pk).order_by("decision_line")
    assert [a.decision_line for a in allocations] == round.outcome["mes"]
    for allocation in allocations:
        tranches = allocation.transactions.filter(kind=Transaction.Kind.DISBURSEMENT)
        assert sorted(t.date.year for t in tranches) == [last_year, last_year + 1]
    assert sum(a.amount for a in allocations) <= round.budget


def test_the_plans_last_years_round_registered_were_in_the_register_that_year():
    # The review of 2026-12-06, finding 3: registered on the day of seeding, they were missing
    # from last year's register while last year's report showed the money they got.
    from reports.content import initiatives_content
    from sroi import demo as sroi_demo
    from sroi.models import Allocation

    call_command("seed_demo", verbosity=0, force=True)
    last_year = sroi_demo.last_year(1, 1).year
    round = Round.objects.get(title=f"Buurtbudget Zuidoost {last_year}")
    decision = round.proposal.decision
    paid = {a.initiative for a in Allocation.objects.filter(decision_id=decision.pk)}
    registered_by_the_round = {plan.initiative for plan in round.plans.exclude(initiative=None)}
    assert len(registered_by_the_round) >= 5
    for initiative in registered_by_the_round:
        assert timezone.localtime(initiative.created_at).year == last_year, initiative
        assert initiative.created_at <= decision.executed_at
        assert initiative.history.earliest("history_date").history_date <= decision.executed_at
    figures = initiatives_content(year=last_year, areas=None)
    in_register = Initiative.objects.filter(created_at__year__lte=last_year).count()
    assert figures.total == in_register and figures.total >= len(paid | registered_by_the_round)
    assert figures.new_in_year >= len(registered_by_the_round)


def test_the_youth_round_collects_plans_over_its_own_fund_with_money_free_and_seeding_twice_adds_nothing():
    from budgeting.demo import YOUTH_PLANS, YOUTH_TITLE
    from budgeting.services import budget_now
    from sroi import demo as sroi_demo
    from sroi.models import Fund, Transaction

    call_command("seed_demo", verbosity=0, force=True)
    counts = (Round.objects.count(), Plan.objects.count(), Fund.objects.count(),
              Transaction.objects.count())  # fmt: skip
    call_command("seed_demo", verbosity=0, force=True)
    assert counts == (Round.objects.count(), Plan.objects.count(), Fund.objects.count(),
                      Transaction.objects.count())  # fmt: skip
    round = Round.objects.get(title=YOUTH_TITLE.format(year=timezone.localdate().year))
    assert round.status == Round.Status.IDEAS and round.area.slug == "zuidoost"
    # its own fund: all of the first fund's free money is promised to this year's vote
    assert round.fund.name == sroi_demo.YOUTH_FUND_NAME != sroi_demo.FUND_NAME
    assert Round.objects.filter(fund=round.fund).count() == 1
    assert budget_now(round) == Decimal("40000.00")
    assert timezone.now() < round.voting_opens_at < round.voting_closes_at
    plans = round.plans.order_by("created_at")
    assert [p.title for p in plans] == [title for title, *_rest in YOUTH_PLANS]
    assert all(p.feasibility == Plan.Feasibility.PENDING and p.number is None for p in plans)
    assert all(p.created_at < timezone.now() for p in plans)
    for username in ("bewoner", "jongere"):
        assert User.objects.get(username=username).has_perm("budgeting.submit_plan", round)
    assert not User.objects.get(username="ambtenaar").has_perm("budgeting.submit_plan", round)


def test_a_demo_member_hands_in_a_plan_on_the_youth_rounds_page_and_the_home_page_keeps_the_vote_first(
    settings,
):
    from django.test import Client
    from django.urls import reverse

    from accounts.management.commands.create_demo_users import demo_password
    from budgeting.demo import YOUTH_TITLE

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("create_demo_users", verbosity=0)
    year = timezone.localdate().year
    youth = Round.objects.get(title=YOUTH_TITLE.format(year=year))
    voting = Round.objects.get(title=THIS_YEAR_TITLE.format(year=year))
    home = Client().get("/").content.decode()
    # the round open for voting is the one the home page invites to, the youth round is named
    assert f"Begrotingsronde: {voting.title}</h2>" in home
    assert f'href="{youth.get_absolute_url()}">{youth.title}</a> (plannen verzamelen)' in home
    for username, title in (("bewoner", "Bankjes bij het basketbalveld"),
                            ("jongere", "Gamemiddag in de bibliotheek")):  # fmt: skip
        client = Client()
        logged_in = client.post(
            "/accounts/inloggen/", {"username": username, "password": demo_password(username)}
        )
        assert logged_in.status_code == 302, username
        form_url = reverse("budgeting:submit_plan", args=[youth.pk])
        assert f'href="{form_url}"' in client.get(youth.get_absolute_url()).content.decode()
        assert client.get(form_url).status_code == 200
        response = client.post(
            form_url,
            {"title": title, "description": "Voor de jongeren van de buurt.", "cost": "3000"},
        )
        assert response.status_code == 302 and response.url == youth.get_absolute_url()
        plan = youth.plans.get(title=title)
        assert plan.author.username == username and plan.cost == Decimal("3000.00")
        assert title in client.get(youth.get_absolute_url()).content.decode()
    assert youth.plans.count() == 4
