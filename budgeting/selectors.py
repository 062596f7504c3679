"""Reads of budget rounds, each a fixed number of queries."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from accounts.models import MemberVerification, VerificationCode
from accounts.services import hash_code
from governance.officing.checkin import looks_like_verification_code

from . import electorate, explain
from . import rules as budgeting_rules
from .models import Ballot, Plan, Round

# A round is "running" from collecting plans until the board's decision: the home page says so.
RUNNING = (Round.Status.IDEAS, Round.Status.REVIEW, Round.Status.FROZEN, Round.Status.VOTING,
           Round.Status.COMPUTED, Round.Status.ADOPTION)  # fmt: skip


def rounds_for(user) -> QuerySet[Round]:
    """The rounds a person may see: all but drafts; civil servants see drafts too. The running
    rounds first (where one can still take part), then the others; newest first in each."""
    qs = (
        Round.objects.select_related("area")
        .annotate(
            plan_count=Count("plans"),
            # the plans with a number: on the ballot (numbered when the round is frozen)
            ballot_count=Count("plans", filter=Q(plans__number__isnull=False)),
            running=Case(
                When(status__in=RUNNING, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("-running", "-created_at", "-pk")
    )
    if not user.has_perm("budgeting.manage_round"):
        qs = qs.exclude(status=Round.Status.DRAFT)
    return qs


@dataclass(frozen=True)
class VoteRounds:
    """The rounds open for voting as the vote lists show them: `open` the rounds to vote in
    (for a visitor who is not logged in, every round open for voting), `voted` the open rounds
    the person cast their ballot in already."""

    open: list[Round]
    voted: list[Round]


def running_rounds(user) -> list[Round]:
    """The running rounds, newest first, with their area and (for who is logged in) whether
    `user` cast a ballot in it (`voted`): one query. The home page shows the newest."""
    rounds = Round.objects.filter(status__in=RUNNING).select_related("area")
    if user is not None and user.is_authenticated:
        rounds = rounds.annotate(
            voted=Exists(Ballot.objects.filter(round=OuterRef("pk"), voter=user))
        )
    return list(rounds)


def rounds_to_vote_in(user) -> VoteRounds:
    """The rounds open for voting now that `user` may vote in by the round's own rules (the
    ballot's `budgeting.vote`), and the open ones they voted in, closing soonest first.

    One query when no round is open or nobody is logged in; for a resident the rules ask one
    query per open round not voted in yet (its own areas and verification, as it froze them; a
    handful of rounds vote at the same time, never many)."""
    rounds = sorted(
        (r for r in running_rounds(user) if budgeting_rules.voting_is_open(user, r)),
        key=lambda r: (r.voting_closes_at, r.pk),
    )
    if user is None or not user.is_authenticated:
        return VoteRounds(open=rounds, voted=[])
    voted = [r for r in rounds if r.voted]
    not_yet = [r for r in rounds if not r.voted]
    return VoteRounds(
        open=[r for r in not_yet if budgeting_rules.may_vote_some_time(user, r)], voted=voted
    )


def plans_of(round: Round) -> QuerySet[Plan]:
    """The round's plans with their votes (`vote_count`), ballot plans first by number, then the
    plans not on it (on every database: SQLite sorts NULL first); a queryset, so a page reads
    only its plans (and their areas of life)."""
    return (
        Plan.objects.filter(round=round)
        .select_related("author", "initiative")
        .prefetch_related("leefgebieden")
        .annotate(vote_count=Count("choices"))
        .order_by(F("number").asc(nulls_last=True), "created_at", "pk")
    )


def ballot_plans(round: Round) -> QuerySet[Plan]:
    """The plans on the round's ballot as the outcome table lists them, to page: the plans paid
    for first (equal shares), then the others, each by number; so the first page shows what the
    fund pays for, however high their numbers."""
    paid = (round.outcome or {}).get("mes") or []
    first = Case(
        When(number__in=paid, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Plan.objects.filter(round=round, number__isnull=False)
        .alias(paid_first=first)
        .order_by("paid_first", "number")
    )


def ballots_per_channel(round: Round) -> list[tuple[str, int]]:
    """How many ballots came online, on paper and with help: (label, count) for every channel."""
    return ballot_counts(round, None)[0]


def ballot_counts(round: Round, user) -> tuple[list[tuple[str, int]], bool]:
    """The ballots per channel, (label, count) for every channel, and whether `user` cast one:
    one query. Before the round is frozen no ballot can exist: no query, ([], False)."""
    if not round.is_frozen:
        return [], False
    mine = user is not None and user.is_authenticated
    rows = (
        Ballot.objects.filter(round=round)
        .values("channel")
        .annotate(n=Count("pk"), **({"mine": Count("pk", filter=Q(voter=user))} if mine else {}))
    )
    counts, voted = {}, False
    for row in rows:
        counts[row["channel"]] = row["n"]
        voted = voted or bool(row.get("mine"))
    return [(label, counts.get(value, 0)) for value, label in Ballot.Channel.choices], voted


@dataclass(frozen=True)
class ResidentMatch:
    """A verified resident of the round's area as the officer sees them: whether (and where)
    they voted, never what they chose."""

    user: object
    date_of_birth: date | None
    ballot: Ballot | None


def find_residents(
    round: Round, *, query: str, date_of_birth: date | None = None, limit: int = 20
) -> list[ResidentMatch]:
    """Verified residents of the round's area (or an area inside it: as the round froze them,
    `budgeting.electorate`) matching the printed verification code they redeemed, or a name
    together with a date of birth (the date of birth on record, or none on record: the officer
    checks the identity document). An officer never browses residents by name alone; nobody
    outside the area is ever found."""

    query = (query or "").strip()
    if len(query) < 2:
        return []
    in_force = MemberVerification.objects.filter(
        revoked_at__isnull=True, area_id__in=electorate.area_ids(round)
    )
    if looks_like_verification_code(query):
        used_by = VerificationCode.objects.filter(
            code_hash=hash_code(query), used_by__isnull=False
        ).values_list("used_by_id", flat=True)
        found = in_force.filter(user_id__in=used_by)
    elif date_of_birth is None:
        return []
    else:
        found = in_force.filter(Q(date_of_birth=date_of_birth) | Q(date_of_birth__isnull=True))
        for word in query.split():
            found = found.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__username__iexact=word)
            )
    # One verification in force per resident (a unique constraint), so a row is a resident and
    # the database can stop at `limit`.
    matches = list(
        found.select_related("user").order_by("user__last_name", "user__first_name", "user_id")[
            :limit
        ]
    )
    ballots = {
        b.voter_id: b
        for b in Ballot.objects.filter(
            round=round, voter_id__in=[m.user_id for m in matches]
        ).select_related("location")
    }
    return [ResidentMatch(m.user, m.date_of_birth, ballots.get(m.user_id)) for m in matches]


def has_voted(round: Round, user) -> bool:
    return user.is_authenticated and Ballot.objects.filter(round=round, voter=user).exists()


def results_of(
    round: Round, plans: list[Plan], *, amount: explain.Amount = explain.euros
) -> list[explain.PlanResult]:
    """Per ballot plan, what equal shares and greedy did, and why not (empty before computing);
    amounts in whole euros, or as `amount` writes them."""
    if not round.outcome:
        return []
    return explain.results(round.outcome, [p for p in plans if p.number is not None], amount=amount)


def rounds_for_report(year: int, *, areas: list[int] | None = None) -> list[dict]:
    """The rounds computed in `year`, JSON-ready for the annual report's snapshot (rendered by
    `templates/budgeting/_report_section.html` as `budget_rounds`): per round the ballots, what
    equal shares funded, and per plan the votes, why it was not funded (in the active
    language) and whether it had fewer votes than the round's minimum share
    (`min_vote_percent`). `areas`: only the rounds of these areas (an area's report)."""
    rounds = (
        Round.objects.filter(computed_at__year=year)
        .filter(**({"area__in": areas} if areas is not None else {}))
        .select_related("fund", "area")
        .order_by("computed_at", "pk")
    )
    found = []
    for round in rounds:  # a handful per year
        # Why a plan was not chosen, with its amounts to the cent like the rest of the report.
        results = results_of(round, plans_of(round), amount=explain.euros_and_cents)
        funded = [r for r in results if r.equal_shares]
        below = set((round.outcome or {}).get("below_minimum", ()))
        found.append(
            {
                "id": round.pk,
                "title": round.title,
                "area": str(round.area),
                "fund": str(round.fund),
                "status": round.status,
                "status_label": str(round.get_status_display()),
                "budget": str(round.budget),
                "min_vote_percent": round.min_vote_percent,
                "ballots": round.outcome["ballots"],
                "funded_count": len(funded),
                "funded_total": str(sum((r.cost for r in funded), start=Decimal(0))),
                "plans": [
                    {"number": r.number, "title": r.title, "cost": str(r.cost), "votes": r.votes,
                     "funded": r.equal_shares, "why_not": r.why_not,
                     "below_minimum": r.number in below}
                    for r in results
                ],
            }
        )  # fmt: skip
    return found
