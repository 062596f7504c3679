"""Reads of who decides: seats held on a day, the composition rule, the rolls of a board and a poll,
and the history of bodies and rules.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import Area, VerificationRequirement
from accounts.selectors import verifications_enough_for
from common.dates import short_date
from common.paging import Rows

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


@dataclass(frozen=True)
class PublicMember:
    """A seat holder as the public may see them: the name and side a roll-call vote showed."""

    name: str
    side: str

    @property
    def side_label(self) -> str:
        return Side(self.side).label


# Named on the public page only on these sides: an advisory member never votes (so no roll-call
# names them), and a youth seat is shown as a number only (young people, perhaps minors).
NAMED_SIDES = (Side.COMMUNITY, Side.INSTITUTION)


def public_members(on: date | None = None) -> dict[int, list[PublicMember]]:
    """Per body id, the holders of a seat on `on` whom a public roll-call of that body already
    names on the same side (a decided vote of the body shows who voted what): their full name,
    never a user name or anything else. Not a youth council's members, nor youth or advisory
    seats. One query."""
    on = on or timezone.localdate()
    named_in_roll_call = Vote.objects.filter(
        proposal__body_id=OuterRef("body_id"),
        proposal__method=Proposal.Method.BOARD,
        proposal__status__in=Proposal.DECIDED,
        user_id=OuterRef("user_id"),
        side=OuterRef("side"),
    )
    rows = (
        Seat.objects.filter(_held_on(on), side__in=NAMED_SIDES)
        .exclude(body__kind=Body.Kind.YOUTH_COUNCIL)
        .filter(Exists(named_in_roll_call))
        .order_by("body_id", "side", "user__last_name", "user__first_name", "user_id")
        .values_list("body_id", "side", "user_id", "user__first_name", "user__last_name")
    )
    members: dict[int, list[PublicMember]] = {}
    seen: set[tuple[int, int]] = set()
    for body_id, side, user_id, first_name, last_name in rows:
        name = f"{first_name} {last_name}".strip()
        if name and (body_id, user_id) not in seen:  # a roll-call without a name shows none
            seen.add((body_id, user_id))
            members.setdefault(body_id, []).append(PublicMember(name=name, side=side))
    return members


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


def body_with_seats(pk: int) -> tuple[Body, QuerySet[Seat]]:
    """A body with its rule, and its seats with their holders to page: the seats held today
    first, then the future ones, then the ended ones (newest first within each)."""
    body = Body.objects.select_related("decision_rule").get(pk=pk)
    today = timezone.localdate()
    standing = Case(
        When(_held_on(today), then=Value(0)),
        When(starts_on__gt=today, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    seats = (
        body.seats.select_related("user")
        .annotate(standing=standing)
        .order_by("standing", "-starts_on", "side", "pk")
    )
    return body, seats


def _describe_body(record) -> str:
    return record.name


def _describe_seat(record) -> str:
    # a date in a table: short, as every table writes it ("28 feb 2031")
    starts = short_date(record.starts_on, "j M Y")
    ends = f" – {short_date(record.ends_on, 'j M Y')}" if record.ends_on else ""
    return f"{record.user}: {Side(record.side).label}, {starts}{ends}"


def _describe_rule(record) -> str:
    return f"{record.name}: {record.majority_percent}%, {record.get_quorum_display()}" + (
        f" {record.quorum_value}" if record.quorum_value else ""
    )


_BODY, _SEAT = 0, 1


def _body_and_seat_changes(rows: list[tuple[int, datetime, int]]) -> list[Change]:
    """The changes of a page of (history id, date, kind) rows: one query per kind on it."""
    found: dict[tuple[int, int], Change] = {}
    for kind, history, related, describe in (
        (_BODY, Body.history, ("history_user",), _describe_body),
        (_SEAT, Seat.history, ("history_user", "user"), _describe_seat),
    ):
        ids = [history_id for history_id, _at, row_kind in rows if row_kind == kind]
        if ids:
            records = list(history.filter(history_id__in=ids).select_related(*related))
            changes = _changes(records, describe)
            found.update(
                ((kind, record.history_id), change)
                for record, change in zip(records, changes, strict=True)
            )
    return [found[(kind, history_id)] for history_id, _at, kind in rows]


def body_changes(body: Body) -> Rows:
    """The audit trail of a body and its seats, newest first, to page: a COUNT, the page's rows
    of both histories together, and the records of each kind on the page (four queries)."""
    bodies = Body.history.filter(id=body.pk).annotate(record_kind=Value(_BODY))
    seats = Seat.history.filter(body_id=body.pk).annotate(record_kind=Value(_SEAT))
    fields = ("history_id", "history_date", "record_kind")
    both = (
        bodies.order_by()
        .values_list(*fields)
        .union(seats.order_by().values_list(*fields), all=True)
        .order_by("-history_date", "-history_id")
    )
    return Rows(both, convert=_body_and_seat_changes)


def decision_rules() -> QuerySet[DecisionRule]:
    """Every decision rule by name, to page."""
    return DecisionRule.objects.order_by("name", "pk")


def rule_changes() -> Rows:
    """The audit trail of all decision rules, newest first, to page (a COUNT and the page)."""
    records = DecisionRule.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    return Rows(records, convert=lambda page: _changes(page, _describe_rule))
