"""Reads of governance, each page with a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Area, VerificationRequirement
from accounts.selectors import verifications_enough_for
from initiatives.models import Classification
from sroi import ledger_selectors
from sroi.models import Fund

from . import tally
from .models import (
    COMMUNITY_SIDES,
    VOTING_SIDES,
    Attachment,
    Ballot,
    Body,
    Comment,
    Decision,
    DecisionRule,
    ElectorateEntry,
    Participation,
    PollKey,
    Proposal,
    Seat,
    Side,
    TrusteeShare,
    Vote,
)


@dataclass(frozen=True)
class Composition:
    """The voting seats of a body and whether the community side holds 50%+1 of them."""

    community: int
    institution: int
    advisory: int

    @property
    def voting(self) -> int:
        return self.community + self.institution

    @property
    def needed(self) -> int:
        return tally.majority_needed(self.voting)

    @property
    def ok(self) -> bool:
        return self.voting > 0 and self.community >= self.needed


def _held_on(day: date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def active_seats(body: Body, on: date | None = None) -> QuerySet[Seat]:
    """The seats of `body` held on `on` (today by default), with their holders."""
    on = on or timezone.localdate()
    return body.seats.filter(_held_on(on)).select_related("user").order_by("side", "user__username")


def composition(body: Body, on: date | None = None) -> Composition:
    """Count the seats of `body` held on `on` per side (one query)."""
    on = on or timezone.localdate()
    counts = {
        row["side"]: row["n"]
        for row in body.seats.filter(_held_on(on)).values("side").annotate(n=Count("pk"))
    }
    return Composition(
        community=sum(counts.get(side, 0) for side in COMMUNITY_SIDES),
        institution=counts.get(Side.INSTITUTION, 0),
        advisory=counts.get(Side.ADVISORY, 0),
    )


def bodies_with_composition(on: date | None = None) -> list[tuple[Body, Composition]]:
    """Every body with its composition today, in one query."""
    on = on or timezone.localdate()
    held = Q(seats__starts_on__lte=on) & (
        Q(seats__ends_on__isnull=True) | Q(seats__ends_on__gte=on)
    )
    bodies = Body.objects.select_related("decision_rule").annotate(
        community_seats=Count("seats", filter=held & Q(seats__side__in=COMMUNITY_SIDES)),
        institution_seats=Count("seats", filter=held & Q(seats__side=Side.INSTITUTION)),
        advisory_seats=Count("seats", filter=held & Q(seats__side=Side.ADVISORY)),
    )
    return [
        (body, Composition(body.community_seats, body.institution_seats, body.advisory_seats))
        for body in bodies
    ]


def board_roll(body: Body, on: date | None = None) -> list[tuple[int, str]]:
    """(user id, side) of every voting seat holder of `body` on `on`; one entry per person."""
    roll: dict[int, str] = {}
    for user_id, side in (
        active_seats(body, on).filter(side__in=VOTING_SIDES).values_list("user_id", "side")
    ):
        roll.setdefault(user_id, side)
    return sorted(roll.items())


def composition_snapshot(proposal: Proposal, rule, on: date) -> dict:
    """What `open_voting` freezes beside the rule: the rule's name and, for a body's vote, the
    seats held on `on` with their sides and the counts per side (two queries)."""
    snapshot = {"rule": rule.name, "rule_id": rule.pk, "on": on.isoformat()}
    if proposal.is_poll:
        return snapshot
    seats = [
        {"user_id": user_id, "side": side}
        for user_id, side in active_seats(proposal.body, on).values_list("user_id", "side")
    ]
    counts = composition(proposal.body, on)
    return {
        **snapshot,
        "body": proposal.body.name,
        "seats": seats,
        "community": counts.community,
        "institution": counts.institution,
        "advisory": counts.advisory,
        "needed": counts.needed,
    }


def area_with_descendants(areas) -> set[int]:
    """The ids of these areas and every area inside them (a district holds its neighbourhoods)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Area.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    todo = [area.pk for area in areas]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def trustee_ids(on: date | None = None) -> list[int]:
    """The trustees of a new poll: who holds a community-side seat (community or youth) on a
    community board on `on`; one entry per person."""
    on = on or timezone.localdate()
    return sorted(
        set(
            Seat.objects.filter(
                _held_on(on), body__kind=Body.Kind.BOARD, side__in=COMMUNITY_SIDES
            ).values_list("user_id", flat=True)
        )
    )


def poll_roll(areas, at=None) -> list[int]:
    """The user ids of every community member of `areas` (and the areas inside) whose
    verification is enough to vote in a poll now (the requirements table of accounts)."""
    return sorted(
        verifications_enough_for(VerificationRequirement.Action.POLL_VOTE, at)
        .filter(area_id__in=area_with_descendants(areas), user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def electorate_size(proposal: Proposal) -> int:
    return ElectorateEntry.objects.filter(proposal=proposal).count()


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
    """Proposals with their body, decision and areas, in three queries in all."""
    queryset = Proposal.objects.select_related("body", "decision").prefetch_related(
        Prefetch("areas", queryset=Area.objects.order_by("name"))
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
        )
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("name")),
            Prefetch("leefgebieden", queryset=Classification.objects.order_by("position")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
        )
        .get(pk=pk)
    )


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


def allocation_shortfall(proposal: Proposal) -> tuple[Decimal, Decimal] | None:
    """(available, amount) when an allocation proposal asks more than its fund has now, else
    None. Only a warning while the proposal is prepared: the ledger decides at execution."""
    if not proposal.is_allocation or proposal.fund_id is None or proposal.amount is None:
        return None
    available = fund_available(proposal.fund)
    return (available, proposal.amount) if proposal.amount > available else None


@dataclass(frozen=True)
class Change:
    """One audited change of a body, a seat or a decision rule: when, who, what and why."""

    at: datetime
    who: object
    what: str
    kind: str
    reason: str


def _changes(records, describe) -> list[Change]:
    return [
        Change(
            at=record.history_date,
            who=record.history_user,
            what=describe(record),
            kind=record.get_history_type_display(),
            reason=record.history_change_reason or "",
        )
        for record in records
    ]


def body_with_seats(pk: int) -> tuple[Body, list[Seat]]:
    """A body with its rule and every seat (held, future and ended) with its holder."""
    body = Body.objects.select_related("decision_rule").get(pk=pk)
    seats = list(body.seats.select_related("user").order_by("-starts_on", "side", "pk"))
    return body, seats


def body_changes(body: Body) -> list[Change]:
    """The audit trail of a body and its seats, newest first (two queries)."""
    body_records = Body.history.filter(id=body.pk).select_related("history_user")
    seat_records = Seat.history.filter(body_id=body.pk).select_related("history_user", "user")
    changes = _changes(body_records, lambda record: record.name) + _changes(
        seat_records,
        lambda record: (
            f"{record.user}: {Side(record.side).label}, {record.starts_on:%d-%m-%Y}"
            + (f" – {record.ends_on:%d-%m-%Y}" if record.ends_on else "")
        ),
    )
    return sorted(changes, key=lambda change: change.at, reverse=True)


def rules_with_changes() -> tuple[list, list[Change]]:
    """Every decision rule, and the audit trail of all of them, newest first."""
    records = DecisionRule.history.select_related("history_user").order_by("-history_date")
    return list(DecisionRule.objects.order_by("name")), _changes(
        records,
        lambda record: (
            f"{record.name}: {record.majority_percent}%, {record.get_quorum_display()}"
            + (f" {record.quorum_value}" if record.quorum_value else "")
        ),
    )


def key_progress(proposal: Proposal) -> tuple[int, int, int]:
    """(keys entered, keys needed, trustees) of a sealed poll."""
    key = PollKey.objects.get(proposal=proposal)
    entered = TrusteeShare.objects.filter(proposal=proposal, submitted_box__isnull=False).count()
    return entered, key.threshold, key.trustee_count


def bulletin(proposal: Proposal) -> dict:
    """The public bulletin of a counted poll: every tracking code (sorted) with its choice
    (unless the poll hides them), the participation count, the roll's size and SHA-256, the
    rule and the decision's numbers. Plain data, the same in the page, CSV, JSON and recount."""
    key = PollKey.objects.filter(proposal=proposal).first()
    rows = Ballot.objects.filter(proposal=proposal).order_by("tracking_code", "choice")
    hide = proposal.bulletin_hides_choices
    decision = getattr(proposal, "decision", None)
    paper = paper_bulletin(proposal)
    return {
        "proposal": proposal.pk,
        "title": proposal.title,
        "choices_published": not hide,
        "ballots": [
            {"code": code, "choice": None if hide else choice}
            for code, choice in rows.values_list("tracking_code", "choice")
        ],
        "participations": Participation.objects.filter(proposal=proposal).count(),
        "roll_size": key.roll_size if key else electorate_size(proposal),
        "roll_sha256": key.roll_sha256 if key else "",
        "rule": proposal.rule_snapshot,
        "decision": decision.tally if decision else None,
        **({"paper": paper} if paper is not None else {}),
    }


def paper_bulletin(proposal: Proposal) -> list[dict] | None:
    """The confirmed paper counts per location, for the bulletin (None: no Community Homes)."""
    from .officing_models import PaperCount, PollOffering

    if not PollOffering.objects.filter(proposal=proposal).exists():
        return None
    return [
        {
            "location": count.location.name,
            "check_ins": count.seal.check_ins,
            "envelopes": count.envelopes,
            "voor": count.voor,
            "tegen": count.tegen,
            "onthouding": count.onthouding,
            "blank": count.blank,
            "invalid": count.invalid,
        }
        for count in PaperCount.objects.filter(
            proposal=proposal, corrected_by__isnull=True, seal__isnull=False
        )
        .select_related("location", "seal")
        .order_by("location__name")
    ]


def paper_totals(proposal: Proposal) -> dict:
    """The confirmed paper counts of a poll, summed: per choice, blank, invalid, locations."""
    from .officing_models import PaperCount

    totals = PaperCount.objects.filter(
        proposal=proposal, corrected_by__isnull=True, seal__isnull=False
    ).aggregate(
        voor=Sum("voor"),
        tegen=Sum("tegen"),
        onthouding=Sum("onthouding"),
        blank=Sum("blank"),
        invalid=Sum("invalid"),
        locations=Count("pk"),
    )
    choices = {
        tally.FOR: totals["voor"] or 0,
        tally.AGAINST: totals["tegen"] or 0,
        tally.ABSTAIN: totals["onthouding"] or 0,
    }
    return {
        "paper_choices": choices,
        "paper": sum(choices.values()),
        "paper_blank": totals["blank"] or 0,
        "paper_invalid": totals["invalid"] or 0,
        "paper_locations": totals["locations"],
    }


def _count_of(model, **filters) -> Coalesce:
    """A subquery counting `model` rows of each proposal (no join that multiplies rows)."""
    rows = (
        model.objects.filter(proposal=OuterRef("pk"), **filters)
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def published_bulletins() -> QuerySet[Proposal]:
    """The sealed polls with a public bulletin (counted: decided and sealed with a key), newest
    decision first, with their decision and key and the numbers of ballots and participations
    (one query for any number of polls)."""
    return (
        Proposal.objects.filter(
            method=Proposal.Method.POLL,
            status__in=Proposal.DECIDED,
            poll_key__isnull=False,
            decision__isnull=False,
        )
        .select_related("decision", "poll_key")
        .annotate(ballot_count=_count_of(Ballot), participation_count=_count_of(Participation))
        .order_by("-decision__decided_at", "-pk")
    )


def participation_by_channel(proposal_ids) -> dict[int, dict[str, int]]:
    """{proposal id: {channel: participations}} of the given polls, in one query."""
    rows = Participation.objects.filter(proposal_id__in=list(proposal_ids)).order_by()
    by_poll: dict[int, dict[str, int]] = {}
    counted = rows.values("proposal_id", "channel").annotate(n=Count("pk")).order_by("channel")
    for row in counted:
        by_poll.setdefault(row["proposal_id"], {})[row["channel"]] = row["n"]
    return by_poll


def bulletin_ballots(proposal: Proposal) -> QuerySet:
    """The (code, choice) rows of a counted poll's bulletin, sorted as published; the choice is
    None when the poll hides the choices. One query, pageable."""
    rows = Ballot.objects.filter(proposal=proposal).order_by("tracking_code", "choice")
    if proposal.bulletin_hides_choices:
        rows = rows.annotate(shown=Value(None, output_field=CharField()))
    else:
        rows = rows.annotate(shown=F("choice"))
    return rows.values("tracking_code", "shown")


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
