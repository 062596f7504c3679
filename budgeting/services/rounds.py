"""A round's life up to the vote: made, changed, open for ideas, reviewed, frozen, voting."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from common.services import service
from notifications import messages
from sroi.models import Fund

from .. import electorate
from .. import rules as budgeting_rules
from ..explain import above_budget, euros
from ..models import Plan, Round
from .base import (
    MANAGE,
    NOT_ALLOWED,
    Status,
    _check_window,
    _is_percent,
    _locked,
    _move,
    _refuse_frozen,
    _save,
    budget_now,
    round_step,
    rounds_promising,
)
from .plans import tell_author


@service(MANAGE, message=NOT_ALLOWED)
def create_round(
    *,
    actor: User | None,
    title: str,
    fund: Fund,
    area=None,
    min_plans: int = 3,
    tie_break: str = Round.TieBreak.LOWER_COST,
    voting_opens_at: datetime.datetime | None = None,
    voting_closes_at: datetime.datetime | None = None,
    min_vote_percent: int = 0,
) -> Round:
    """A new round in draft over `fund`, for the residents of `area` (default: the fund's).
    `min_vote_percent` (the Świecie rule, optional): a plan is paid for only when at least this
    percentage of the voters chose it; frozen with the other rules."""
    area = area or fund.area
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the round a title.")
    if area is None:
        errors["area"] = _("Choose the area whose residents take part.")
    if not min_plans or int(min_plans) < 1:
        errors["min_plans"] = _("A ballot needs at least one plan.")
    if tie_break not in Round.TieBreak.values:
        errors["tie_break"] = _("Choose a tie-break order.")
    if not _is_percent(min_vote_percent):
        errors["min_vote_percent"] = _("Give a whole percentage from 0 to 100.")
    if errors:
        raise ValidationError(errors)
    _check_window(voting_opens_at, voting_closes_at)
    round = Round(
        title=title, fund=fund, area=area, min_plans=int(min_plans), tie_break=tie_break,
        voting_opens_at=voting_opens_at, voting_closes_at=voting_closes_at,
        min_vote_percent=int(min_vote_percent or 0),
    )  # fmt: skip
    _save(round, actor)
    return round


@service(MANAGE, message=NOT_ALLOWED)
def update_round(*, actor: User | None, round: Round, **fields) -> Round:
    """Change the title, rules or window of a round that is not frozen yet."""
    round = _locked(round)
    _refuse_frozen(round)
    allowed = {"title", "min_plans", "tie_break", "voting_opens_at", "voting_closes_at", "area",
               "min_vote_percent"}  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    for name, value in fields.items():
        setattr(round, name, value)
    if not round.title.strip():
        raise ValidationError({"title": _("Give the round a title.")})
    if round.min_plans < 1:
        raise ValidationError({"min_plans": _("A ballot needs at least one plan.")})
    if round.tie_break not in Round.TieBreak.values:
        raise ValidationError({"tie_break": _("Choose a tie-break order.")})
    if not _is_percent(round.min_vote_percent):
        raise ValidationError({"min_vote_percent": _("Give a whole percentage from 0 to 100.")})
    _check_window(round.voting_opens_at, round.voting_closes_at)
    _save(round, actor)
    return round


@round_step("budgeting.open_ideas", budgeting_rules.round_is_draft)
def open_ideas(*, actor: User | None, round: Round) -> Round:
    """Draft → ideas: residents of the area may submit plans."""
    return _move(round, actor, to=Status.IDEAS)


@round_step("budgeting.start_review", budgeting_rules.collects_plans)
def start_review(*, actor: User | None, round: Round) -> Round:
    """Ideas → review: no new plans; civil servants review feasibility and cost."""
    return _move(round, actor, to=Status.REVIEW)


def _tie_break_order(plans: list[Plan], tie_break: str) -> list[Plan]:
    if tie_break == Round.TieBreak.LOWER_COST:
        return sorted(plans, key=lambda p: (p.vote_cost, p.created_at, p.pk))
    return sorted(plans, key=lambda p: (p.created_at, p.pk))


@round_step(
    "budgeting.freeze_round",
    budgeting_rules.plans_are_in_review,
    gettext_lazy("A round is frozen after its plans were reviewed."),
)
def freeze_round(*, actor: User | None, round: Round) -> Round:
    """Review → frozen: the budget (the money available in the fund now, whole euros), the
    plans, the ballot rule, the minimum, the tie-break order (the plans' numbers) and who votes
    (the round's areas and the verification asked, `budgeting.electorate`) are fixed.

    A feasible plan that costs more than the budget (the fund had more when it was reviewed)
    gets no number: it can never be paid for, so it is not on the ballot and its author is
    told why (the database refuses freezing a round with such a plan on its ballot)."""
    now = timezone.now()
    # Rounds over one fund freeze one at a time, each seeing the budgets frozen before it.
    Fund.objects.select_for_update().only("pk").get(pk=round.fund_id)
    plans = list(Plan.objects.select_for_update().filter(round=round))
    errors = []
    if any(p.feasibility == Plan.Feasibility.PENDING for p in plans):
        errors.append(_("Review every plan first."))
    budget = budget_now(round)
    feasible = [p for p in plans if p.feasibility == Plan.Feasibility.FEASIBLE]
    # (with no money at all, that is the one thing to say)
    on_ballot = [p for p in feasible if p.vote_cost <= budget] if budget > 0 else feasible
    if len(on_ballot) < round.min_plans:
        errors.append(_too_few(len(feasible), len(on_ballot), round.min_plans, budget))
    if not round.voting_opens_at or not round.voting_closes_at:
        errors.append(_("Set when voting opens and closes."))
    elif round.voting_closes_at <= now:
        errors.append(_("The voting window has already passed."))
    if budget <= 0:
        errors.append(_no_money(round))
    if errors:
        raise ValidationError(errors)
    for number, plan in enumerate(_tie_break_order(on_ballot, round.tie_break), start=1):
        plan.number = number
    for plan in plans:
        plan.locked = True
        _save(plan, actor)
    round.budget = budget
    electorate.freeze(round)
    round.frozen_at = now
    round.status = Status.FROZEN
    _save(round, actor)
    _tell_above_budget([p for p in feasible if p.number is None], round)
    return round


def _no_money(round: Round) -> str:
    """Why a round gets no budget: the fund is empty, or its money is promised to other rounds
    (named) until their packages are booked or rejected."""
    titles = [
        str(t) for t in rounds_promising(round).order_by("pk").values_list("title", flat=True)
    ]
    if not titles:
        return _("The fund has no money available for this round.")
    return _(
        "The money in the fund is promised to another round: %(rounds)s. It is free again when "
        "the community board has rejected that round, or for what is left after its plans are "
        "booked."
    ) % {"rounds": ", ".join(titles)}


def _too_few(feasible: int, fits: int, minimum: int, budget) -> str:
    if fits == feasible:
        return ngettext(
            "There is %(count)s feasible plan; a ballot needs at least %(min)s.",
            "There are %(count)s feasible plans; a ballot needs at least %(min)s.",
            feasible,
        ) % {"count": feasible, "min": minimum}
    return ngettext(
        "%(count)s feasible plan costs at most the budget of %(budget)s; a ballot needs at "
        "least %(min)s.",
        "%(count)s feasible plans cost at most the budget of %(budget)s; a ballot needs at "
        "least %(min)s.",
        fits,
    ) % {"count": fits, "budget": euros(budget), "min": minimum}


def _tell_above_budget(plans: list[Plan], round: Round) -> None:
    """The author of each feasible plan left off the ballot hears it, as of a review."""
    for plan in plans:
        words = messages.in_each_language(lambda p=plan: above_budget(p.vote_cost, round.budget))
        tell_author(plan, round, outcome=words, on_ballot=False)


@round_step("budgeting.open_voting", budgeting_rules.ballot_is_fixed)
def open_voting(*, actor: User | None, round: Round) -> Round:
    """Frozen → voting; ballots count inside the frozen window."""
    return _move(round, actor, to=Status.VOTING)
