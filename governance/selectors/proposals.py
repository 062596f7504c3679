"""Reads of proposals: lists, one proposal with its votes and counts, due and open votes, money."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.models import Area, Role
from initiatives.models import Classification
from sroi import ledger_selectors, promises
from sroi.models import Fund

from .. import tally
from ..models import (
    COMMUNITY_SIDES,
    Attachment,
    Ballot,
    CheckIn,
    Comment,
    Decision,
    DecisionRule,
    ElectorateEntry,
    Participation,
    Proposal,
    Vote,
)
from .bulletins import paper_totals


def counts(proposal: Proposal) -> tuple[tally.Counts, tally.Counts]:
    """(community, institution) counts of the stored votes or ballots of `proposal`."""
    per_side = {True: {}, False: {}}
    if proposal.is_poll:
        rows = (
            Ballot.objects.filter(proposal=proposal).values_list("choice").annotate(n=Count("pk"))
        )
        for choice, n in rows:
            per_side[True][choice] = n
        # Confirmed paper counts of the Community Homes count exactly like online ballots.
        for choice, n in paper_totals(proposal)["paper_choices"].items():
            per_side[True][choice] = per_side[True].get(choice, 0) + n
    else:
        rows = (
            Vote.objects.filter(proposal=proposal)
            .values_list("side", "choice")
            .annotate(n=Count("pk"))
        )
        for side, choice, n in rows:
            bucket = per_side[side in COMMUNITY_SIDES]
            bucket[choice] = bucket.get(choice, 0) + n

    def as_counts(found: dict) -> tally.Counts:
        return tally.Counts(
            found.get(tally.FOR, 0), found.get(tally.AGAINST, 0), found.get(tally.ABSTAIN, 0)
        )

    return as_counts(per_side[True]), as_counts(per_side[False])


def proposals_for_list(*, include_drafts: bool = False) -> QuerySet[Proposal]:
    """Proposals with their body, decision and areas, in three queries in all: open votes first,
    then newest first by `last_step_at`, the latest of published, voting opened and decided."""
    published = Coalesce("discussion_started_at", "created_at")
    # Greatest is NULL on SQLite when one of its values is: each step falls back on publishing.
    last_step = Greatest(
        published,
        Coalesce("opens_at", published),
        Coalesce("decision__decided_at", published),
    )
    open_vote = Case(When(status=Proposal.Status.VOTING, then=Value(0)), default=Value(1))
    queryset = (
        Proposal.objects.select_related("body", "decision")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
        .annotate(last_step_at=last_step, open_vote_first=open_vote)
        .order_by("open_vote_first", "-last_step_at", "-pk")
    )
    if not include_drafts:
        queryset = queryset.filter(status__in=Proposal.PUBLIC)
    return queryset


COMMENT_PAGE_SIZE = 50


def advice_of(proposal: Proposal) -> list[Comment]:
    """The formal advice on a proposal, oldest first (one per committee or council, so few)."""
    return list(
        Comment.objects.filter(proposal=proposal)
        .exclude(kind=Comment.Kind.COMMENT)
        .order_by("created_at", "pk")
    )


def comment_page(proposal: Proposal, number, size: int = COMMENT_PAGE_SIZE) -> dict:
    """One page of the residents' comments, oldest first: one query (a row more than the page
    tells whether a next page exists; no count of them all)."""
    try:
        number = min(max(int(number), 1), 1_000_000)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    rows = list(
        Comment.objects.filter(proposal=proposal, kind=Comment.Kind.COMMENT).order_by(
            "created_at", "pk"
        )[start : start + size + 1]
    )
    return {
        "comments": rows[:size],
        "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if len(rows) > size else None,
    }


def proposal_for_ballot(pk: int) -> Proposal:
    """One proposal with what the ballot and its permission checks read: one query."""
    return Proposal.objects.select_related("body", "decision", "decision_rule").get(pk=pk)


def proposal_detail(pk: int) -> Proposal:
    """One proposal with everything its page shows except the votes."""
    return (
        Proposal.objects.select_related(
            "body",
            "decision",
            "decision__allocation",
            "decision_rule",
            "created_by",
            "fund",
            "initiative",
            "poll_key",
        )
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("name")),
            Prefetch("leefgebieden", queryset=Classification.objects.order_by("position")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
        )
        .get(pk=pk)
    )


def proposal_for_form(pk: int) -> Proposal:
    """One proposal with what its form fills in: the areas and life areas chosen (the form
    page shows no attachments, decision or votes)."""
    return Proposal.objects.prefetch_related("areas", "leefgebieden").get(pk=pk)


def roll_call(proposal: Proposal) -> QuerySet[Vote]:
    """Who voted what in a body's vote; shown only after the decision."""
    return (
        Vote.objects.filter(proposal=proposal)
        .select_related("user")
        .order_by("side", "user__username")
    )


def own_vote(proposal: Proposal, user) -> Vote | None:
    if not user.is_authenticated or proposal.is_poll:
        return None
    return Vote.objects.filter(proposal=proposal, user=user).first()


def due_proposal_ids(now: datetime | None = None) -> list[int]:
    """Proposals whose voting window has ended but which are not closed yet."""
    now = now or timezone.now()
    return list(
        Proposal.objects.filter(status=Proposal.Status.VOTING, closes_at__lte=now)
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)
    )


def closing_soon(*, within_hours: int = 48, now: datetime | None = None) -> list[Proposal]:
    """Votes open now that close within `within_hours`."""
    now = now or timezone.now()
    return list(
        Proposal.objects.filter(
            status=Proposal.Status.VOTING,
            closes_at__gt=now,
            closes_at__lte=now + timedelta(hours=within_hours),
        ).order_by("closes_at", "pk")
    )


def fund_available(fund: Fund) -> Decimal:
    """What `fund` has available to allocate now (one query), from sroi's ledger selectors."""
    return ledger_selectors.available(fund)


@dataclass(frozen=True)
class Shortfall:
    """An allocation proposal asks `amount`; its fund has `available`, of which `promised` is
    promised to the budget rounds `rounds` (`sroi.promises`), so `free` is left."""

    available: Decimal
    amount: Decimal
    promised: Decimal
    rounds: str
    free: Decimal


def allocation_shortfall(proposal: Proposal) -> Shortfall | None:
    """The shortfall when an allocation proposal asks more than its fund has free now (what is
    available, less what budget rounds promised their residents), else None. Only a warning
    while the proposal is prepared: the ledger decides at execution."""
    if not proposal.is_allocation or proposal.fund_id is None or proposal.amount is None:
        return None
    available = fund_available(proposal.fund)
    others = promises.promised(proposal.fund)
    free = promises.free(available, others)
    if proposal.amount <= free:
        return None
    promised, rounds = promises.total(others), promises.named(others)
    return Shortfall(available, proposal.amount, promised, rounds, free)


def open_votes(user=None, *, now: datetime | None = None) -> QuerySet[Proposal]:
    """Proposals in their voting window now, closing soonest first (two queries with areas).

    For a signed-in person only the votes they can still cast: on the frozen roll, and for a
    secret poll not yet voted. Anonymous (or `user` None): every open vote.
    """
    now = now or timezone.now()
    queryset = proposals_for_list().filter(
        status=Proposal.Status.VOTING, opens_at__lte=now, closes_at__gt=now
    )
    if user is not None and user.is_authenticated:
        queryset = queryset.filter(
            pk__in=ElectorateEntry.objects.filter(user=user).values("proposal")
        ).exclude(
            method=Proposal.Method.POLL,
            pk__in=Participation.objects.filter(user=user).values("proposal"),
        )
    return queryset.order_by("closes_at", "pk")


def voted_open_polls(user, *, now: datetime | None = None) -> QuerySet[Proposal]:
    """The secret polls open now that `user` voted in online already: they may still change
    their vote (one query; none for who is not a verified member, as a poll's roll is made of
    verified members: a civil servant's pages keep their number of queries). Their titles and
    closing times."""
    if user is None or not user.is_authenticated or not user.has_role(Role.COMMUNITY_MEMBER):
        return Proposal.objects.none()
    now = now or timezone.now()
    return (
        Proposal.objects.filter(
            method=Proposal.Method.POLL,
            status=Proposal.Status.VOTING,
            opens_at__lte=now,
            closes_at__gt=now,
            pk__in=Participation.objects.filter(user=user).values("proposal"),
        )
        .filter(pk__in=ElectorateEntry.objects.filter(user=user).values("proposal"))
        # Who was checked in at a location (on paper, or helped) cannot vote there again online.
        .exclude(pk__in=CheckIn.objects.filter(voter=user).values("proposal"))
        .only("pk", "title", "closes_at")
        .order_by("closes_at", "pk")
    )


def latest_decisions(limit: int = 5) -> QuerySet[Decision]:
    """The newest decisions with their proposal (one query)."""
    return Decision.objects.select_related("proposal").order_by("-decided_at", "-pk")[:limit]


def voting_may_open_at(proposal: Proposal, rule: DecisionRule | None = None) -> datetime | None:
    """The first moment voting may open: the rule's minimum discussion period after the
    discussion started (a proposal from before that was recorded counts from its creation).
    `rule` defaults to the poll's rule or the body's; None when there is no rule."""
    if rule is None:
        rule = (
            proposal.decision_rule
            if proposal.is_poll
            else getattr(proposal.body, "decision_rule", None)
        )
    if rule is None:
        return None
    started = proposal.discussion_started_at or proposal.created_at
    return started + timedelta(days=rule.min_discussion_days)
