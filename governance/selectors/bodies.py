"""Reads of who decides: seats held on a day, the composition rule, the rolls of a board and a poll,
and the history of bodies and rules.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts.models import Area, VerificationRequirement
from accounts.selectors import verifications_enough_for

from .. import tally
from ..models import (
    COMMUNITY_SIDES,
    VOTING_SIDES,
    Body,
    DecisionRule,
    ElectorateEntry,
    Proposal,
    Seat,
    Side,
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
