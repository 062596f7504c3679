"""A budget round in any state, built through the services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts import services as accounts
from budgeting import services
from budgeting.models import Round
from tests.accounts.factories import UserFactory
from tests.sroi.factories import funded, make_fund

HOUR = datetime.timedelta(hours=1)


def resident_of(area, civil_servant, username: str):
    user = UserFactory(username=username)
    accounts.verify_member(user=user, area=area, actor=civil_servant)
    return user


def round_in(
    status: str,
    *,
    area,
    civil_servant,
    author,
    costs=(1000, 2000, 3000, 4000),
    money: str = "5000.00",
    min_plans: int = 3,
    name: str = "Buurtbudget",
    min_vote_percent: int = 0,
    fund=None,
) -> Round:
    """A round moved to `status` (up to voting); plans by `author` with these costs, all
    feasible; the fund holds `money` (or: `fund`, as it is); voting open from an hour ago for
    a day."""
    fund = fund or funded(money, fund=make_fund(name=f"Fonds {name}"))
    now = timezone.now()
    round = services.create_round(
        actor=civil_servant, title=name, fund=fund, area=area, min_plans=min_plans,
        voting_opens_at=now - HOUR, voting_closes_at=now + 24 * HOUR,
        min_vote_percent=min_vote_percent,
    )  # fmt: skip
    if status == Round.Status.DRAFT:
        return round
    round = services.open_ideas(actor=civil_servant, round=round)
    plans = [
        services.submit_plan(
            actor=author,
            round=round,
            title=f"Plan {i}",
            description="Een goed plan.",
            cost=Decimal(cost),
        )  # fmt: skip
        for i, cost in enumerate(costs, start=1)
    ]
    if status == Round.Status.IDEAS:
        return round
    round = services.start_review(actor=civil_servant, round=round)
    for plan in plans:
        services.review_plan(actor=civil_servant, plan=plan, feasible=True)
    if status == Round.Status.REVIEW:
        return round
    round = services.freeze_round(actor=civil_servant, round=round)
    if status == Round.Status.FROZEN:
        return round
    return services.open_voting(actor=civil_servant, round=round)


def rejected(round: Round, *, area, civil_servant, reason: str = "Te duur.") -> Round:
    """A voting `round` taken through its course to the community board's rejection: two
    residents vote, the outcome is computed after closing, the board votes it down. The only
    way to an ended round, also in the database (budgeting/models/round_rules.py)."""
    from governance import services as governance  # noqa: PLC0415
    from governance.models import Choice  # noqa: PLC0415
    from tests.clock import at_closing  # noqa: PLC0415 - test helpers only
    from tests.governance.factories import board, decided  # noqa: PLC0415

    plans = list(round.plans.exclude(number=None).order_by("number"))[: round.min_plans]
    for i in range(2):
        voter = resident_of(area, civil_servant, f"kiezer-{round.pk}-{i}")
        services.cast_ballot(actor=voter, round=round, plans=plans)
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=civil_servant, round=round)
    body, voters = board(community=3, institution=2)
    round = services.submit_to_board(actor=civil_servant, round=round, body=body)
    proposal = governance.start_discussion(proposal=round.proposal, actor=None)
    proposal = governance.open_voting(
        proposal=proposal, closes_at=timezone.now() + HOUR, actor=None
    )
    decided(proposal, dict.fromkeys(voters["community"] + voters["institution"], Choice.AGAINST))
    return services.settle_round(actor=civil_servant, round=round, reason=reason)
