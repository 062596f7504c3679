"""Reads of budget rounds, each a fixed number of queries."""

from django.db.models import Count, QuerySet

from . import explain
from .models import Ballot, Plan, Round


def rounds_for(user) -> QuerySet[Round]:
    """The rounds a person may see: all but drafts; civil servants see drafts too."""
    qs = Round.objects.select_related("fund", "area").annotate(plan_count=Count("plans"))
    if not user.has_perm("budgeting.manage_round"):
        qs = qs.exclude(status=Round.Status.DRAFT)
    return qs


def plans_of(round: Round) -> list[Plan]:
    """The round's plans with their votes (`vote_count`), ballot plans first by number."""
    return list(
        Plan.objects.filter(round=round)
        .select_related("author", "initiative")
        .prefetch_related("leefgebieden")
        .annotate(vote_count=Count("choices"))
        .order_by("number", "created_at", "pk")
    )


def ballot_count(round: Round) -> int:
    return Ballot.objects.filter(round=round).count()


def has_voted(round: Round, user) -> bool:
    return user.is_authenticated and Ballot.objects.filter(round=round, voter=user).exists()


def results_of(round: Round, plans: list[Plan]) -> list[explain.PlanResult]:
    """Per ballot plan, what equal shares and greedy did, and why not (empty before computing)."""
    if not round.outcome:
        return []
    return explain.results(round.outcome, [p for p in plans if p.number is not None])


def rounds_for_report(year: int) -> list[dict]:
    """The rounds computed in `year`, with per plan what equal shares funded, for the annual
    report's section per round (`templates/budgeting/_report_section.html`)."""
    rounds = (
        Round.objects.filter(computed_at__year=year)
        .select_related("fund", "area")
        .order_by("computed_at", "pk")
    )
    found = []
    for round in rounds:  # a handful per year
        plans = plans_of(round)
        results = results_of(round, plans)
        funded = [r for r in results if r.equal_shares]
        found.append(
            {
                "round": round,
                "results": results,
                "funded_total": sum((r.cost for r in funded), start=0),
                "funded_count": len(funded),
                "ballots": round.outcome["ballots"],
            }
        )
    return found
