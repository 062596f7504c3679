"""Reads of budget rounds, each a fixed number of queries."""

from decimal import Decimal

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


def rounds_for_report(year: int, *, areas: list[int] | None = None) -> list[dict]:
    """The rounds computed in `year`, JSON-ready for the annual report's snapshot (rendered by
    `templates/budgeting/_report_section.html` as `budget_rounds`): per round the ballots, what
    equal shares funded, and per plan the votes and why it was not funded (in the active
    language). `areas`: only the rounds of these areas (an area's report)."""
    rounds = (
        Round.objects.filter(computed_at__year=year)
        .filter(**({"area__in": areas} if areas is not None else {}))
        .select_related("fund", "area")
        .order_by("computed_at", "pk")
    )
    found = []
    for round in rounds:  # a handful per year
        results = results_of(round, plans_of(round))
        funded = [r for r in results if r.equal_shares]
        found.append(
            {
                "id": round.pk,
                "title": round.title,
                "area": str(round.area),
                "fund": str(round.fund),
                "status": round.status,
                "status_label": str(round.get_status_display()),
                "budget": str(round.budget),
                "ballots": round.outcome["ballots"],
                "funded_count": len(funded),
                "funded_total": str(sum((r.cost for r in funded), start=Decimal(0))),
                "plans": [
                    {"number": r.number, "title": r.title, "cost": str(r.cost), "votes": r.votes,
                     "funded": r.equal_shares, "why_not": r.why_not}
                    for r in results
                ],
            }
        )  # fmt: skip
    return found
