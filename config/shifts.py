"""An officer's own shifts at the Community Homes (`/diensten/`): where, when and which task,
the polls offered there, and during a shift the way to its tables (a poll's check-in table or
paper count, a budget round's paper ballots).

It lives in `config`, the top layer, because it reads governance and budgeting. Its queries do
not grow with the shifts or the polls: a page of shifts with their locations, the polls offered
at those locations, the budget rounds that are voting, and the officer's shifts once for the
permissions (`officing.shifts_of`). Only the signed-in person's own shifts are read.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from budgeting.models import Round
from budgeting.rules import RoundStation
from common.views import paginate
from governance.models import OfficerShift, PollOffering, Proposal
from governance.officing import Station, last_changes, shifts_of_officer

from . import rules as config_rules  # noqa: F401  (registers the page's rule)

PAGE_SIZE = 25
SHOWN = 10  # polls per shift, and budget rounds, at most

# The polls a shift can be for: public ones that are still to be voted on or counted (a draft is
# not public, a decided poll needs no officer any more).
SHOWN_STATUSES = (Proposal.Status.DISCUSSION, Proposal.Status.VOTING, Proposal.Status.COUNTING)


@dataclass(frozen=True)
class Table:
    """A page an officer works on during this shift."""

    label: str
    url: str


@dataclass
class ShiftRow:
    shift: OfficerShift
    state: str  # "now", "coming" or "past"
    polls: list[Proposal] = field(default_factory=list)  # offered here (none for a past shift)
    more_polls: int = 0  # running polls offered here beyond the first `SHOWN`
    # budget rounds voting now: at a check-in table their paper ballots are entered (any
    # Community Home takes them); none for a counting shift or a past one
    rounds: list[Round] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # only while the shift runs
    change: object | None = None  # its latest change (a history record): when and why


def _state(shift: OfficerShift, now) -> str:
    if shift.ends_at <= now:
        return "past"
    return "now" if shift.starts_at <= now else "coming"


def _poll_tables(user, shift: OfficerShift, polls: list[Proposal]) -> list[Table]:
    tables = []
    for poll in polls:
        station = Station(proposal=poll, location=shift.location, offered=True)
        args = [poll.pk, shift.location.slug]
        if shift.task == OfficerShift.Task.CHECK_IN:
            if user.has_perm("governance.check_in", station):
                label = _("Check-in table: %(title)s") % {"title": poll.title}
                tables.append(Table(label, reverse("governance:station", args=args)))
        elif user.has_perm("governance.count_paper", station):
            label = _("Count the paper ballots: %(title)s") % {"title": poll.title}
            tables.append(Table(label, reverse("governance:paper_count", args=args)))
    return tables


def _round_tables(user, shift: OfficerShift, rounds: list[Round]) -> list[Table]:
    if shift.task != OfficerShift.Task.CHECK_IN:
        return []
    return [
        Table(
            _("Paper ballots of the budget round: %(title)s") % {"title": round.title},
            reverse("budgeting:paper_table", args=[round.pk, shift.location.slug]),
        )
        for round in rounds
        if user.has_perm("budgeting.enter_paper_ballot", RoundStation(round, shift.location))
    ]


def _offerings_at(location_ids: set[int]) -> list[PollOffering]:
    """The first `SHOWN` running polls offered at each location (by title), each with `total`:
    how many run there in all. One query, however many polls a location has."""
    by_location = {"partition_by": [F("location_id")]}
    ranked = (
        PollOffering.objects.filter(
            location_id__in=location_ids, proposal__status__in=SHOWN_STATUSES
        )
        .select_related("proposal")
        .annotate(
            rank=Window(
                RowNumber(), order_by=[F("proposal__title"), F("proposal_id")], **by_location
            ),
            total=Window(Count("pk"), **by_location),
        )
        .filter(rank__lte=SHOWN)
    )
    return list(ranked.order_by("location_id", "rank"))


def shift_rows(user, shifts: list[OfficerShift]) -> list[ShiftRow]:
    """Each of `shifts` (the user's own) with what it is for; the tables only while it runs."""
    now = timezone.now()
    polls_at: dict[int, list[Proposal]] = {}
    more_at: dict[int, int] = {}
    for offering in _offerings_at({shift.location_id for shift in shifts}):
        polls_at.setdefault(offering.location_id, []).append(offering.proposal)
        more_at[offering.location_id] = offering.total - len(polls_at[offering.location_id])
    states = [_state(shift, now) for shift in shifts]
    rounds = []
    if any(state != "past" for state in states):
        voting = Round.objects.filter(status=Round.Status.VOTING).order_by("title", "pk")
        rounds = list(voting[:SHOWN])
    changes = last_changes([s for s, state in zip(shifts, states, strict=True) if state != "past"])
    rows = []
    for shift, state in zip(shifts, states, strict=True):
        shown = state != "past"
        polls = polls_at.get(shift.location_id, []) if shown else []
        more = more_at.get(shift.location_id, 0) if shown else 0
        check_in = shown and shift.task == OfficerShift.Task.CHECK_IN
        row = ShiftRow(
            shift=shift, state=state, polls=polls, more_polls=more, change=changes.get(shift.pk),
            rounds=rounds if check_in else [],
        )  # fmt: skip
        if state == "now":
            row.tables = _poll_tables(user, shift, polls) + _round_tables(user, shift, rounds)
        rows.append(row)
    return rows


def next_shift(user) -> OfficerShift | None:
    """The user's shift that runs now, or else the next one to come (None: none, or anonymous)."""
    if not user.is_authenticated:
        return None
    coming = OfficerShift.objects.filter(officer=user, ends_at__gt=timezone.now())
    return coming.select_related("location").order_by("starts_at", "pk").first()


class MyShiftsView(PermissionRequiredMixin, TemplateView):
    """The signed-in person's own shifts, running and coming ones first, paged."""

    permission_required = "config.see_own_shifts"
    template_name = "my_shifts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(self.request, shifts_of_officer(self.request.user), PAGE_SIZE)
        context.update(page=page, rows=shift_rows(self.request.user, list(page.object_list)))
        return context
