"""Residents' plans: submitted while the round takes ideas, reviewed by a civil servant."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common.services import service
from initiatives.models import Classification, Initiative
from notifications import messages
from notifications import services as notifications
from notifications.models import Kind

from .. import rules as budgeting_rules
from ..explain import euros, review_outcome
from ..models import Plan, Round
from .base import (
    MANAGE,
    NOT_ALLOWED,
    _locked,
    _plan_refusal,
    _refuse_frozen,
    _save,
    _state,
    _whole_euros,
    budget_now,
)

_takes_reviews = _state(
    budgeting_rules.takes_reviews,
    gettext_lazy("Plans are reviewed while the round collects or reviews them."),
)


def _reviewable(round: Round) -> None:
    """The state part of `budgeting.review_plan`: a frozen round says so first."""
    _refuse_frozen(round)
    _takes_reviews(round)


@service("budgeting.submit_plan", obj="round", load=_locked, message=_plan_refusal)
def submit_plan(
    *,
    actor: User | None,
    round: Round,
    title: str,
    description: str,
    cost,
    leefgebieden=(),
    initiative: Initiative | None = None,
) -> Plan:
    """A resident's plan for the round, while it collects plans (the rule is asked of the round
    locked, so it cannot stop collecting in between)."""
    errors = {}
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        errors["title"] = _("Give your plan a title.")
    if not description:
        errors["description"] = _("Describe your plan.")
    try:
        cost = _whole_euros(cost, "cost")
    except ValidationError as error:
        errors.update(error.message_dict)
    leefgebieden = list(leefgebieden or [])
    if any(c.scheme != Classification.Scheme.LEEFGEBIED for c in leefgebieden):
        errors["leefgebieden"] = _("Choose areas of life (leefgebieden) only.")
    if errors:
        raise ValidationError(errors)
    plan = Plan(round=round, title=title, description=description, cost=cost, author=actor,
                initiative=initiative)  # fmt: skip
    _save(plan, actor)
    plan.leefgebieden.set(leefgebieden)
    return plan


def _refuse_above_budget(round: Round, cost) -> None:
    """A plan that costs more than all the money the round would get can never be chosen: it is
    not feasible. Freezing checks again, against the budget it fixes (`freeze_round`)."""
    budget = budget_now(round)
    if cost > budget:
        text = _(
            "This plan costs %(cost)s. That is more than the whole budget of this round: "
            "%(budget)s, the money the fund has now that no other round has promised. Such a "
            "plan can never be chosen. Choose 'No, not feasible', or fill in a lower cost after "
            "review."
        ) % {"cost": euros(cost), "budget": euros(budget)}  # fmt: skip
        raise ValidationError({"feasible": ValidationError(text, code="above_budget")})


@service(
    "budgeting.review_plan",
    obj=lambda kw: _locked(kw["plan"].round),
    state=_reviewable,
    who=MANAGE,
    message=NOT_ALLOWED,
)
def review_plan(
    *,
    actor: User | None,
    plan: Plan,
    feasible: bool,
    reason: str = "",
    reviewed_cost=None,
    keep_initiative: bool | None = None,
) -> Plan:
    """A civil servant's review: feasible or not, the cost it will have on the ballot, and why.

    The reason goes to the author (a notification); it is required when the plan is not
    feasible, its cost changes or the initiative it names is taken off. A feasible plan that
    names an initiative of the register is reviewed with that too (`keep_initiative`): a
    funded plan's money goes there, and the author could name anyone's."""
    # The round's row is locked already: the service asked its rule of it, locked (`obj`).
    plan = Plan.objects.select_related("round").get(pk=plan.pk)
    round = plan.round
    reason = (reason or "").strip()
    cost = None
    if reviewed_cost not in (None, ""):
        cost = _whole_euros(reviewed_cost, "reviewed_cost")
    changed = cost is not None and cost != plan.cost
    named = feasible and plan.initiative_id is not None
    if named and keep_initiative is None:
        raise ValidationError(
            {"keep_initiative": _("Say whether the money of this plan may go to this initiative.")}
        )
    dropped = named and keep_initiative is False
    if feasible:
        _refuse_above_budget(round, cost if cost is not None else plan.cost)
    if (not feasible or changed or dropped) and not reason:
        raise ValidationError(
            {"reason": _("Explain your review to the author: it is sent to them.")}
        )
    if dropped:
        plan.initiative = None
    plan.feasibility = Plan.Feasibility.FEASIBLE if feasible else Plan.Feasibility.UNFEASIBLE
    plan.reviewed_cost = cost
    plan.review_reason = reason
    plan.reviewed_by = actor
    plan.reviewed_at = timezone.now()
    _save(plan, actor)
    tell_author(plan, round, outcome=messages.in_each_language(lambda: review_outcome(plan)))
    return plan


def tell_author(plan: Plan, round: Round, *, outcome: dict, on_ballot: bool | None = None) -> None:
    """The author of `plan` hears what the municipality found (`outcome`, in each language) and
    the review's reason, with a link to the round."""
    data = {"title": plan.title, "outcome": outcome, "reason": plan.review_reason,
            "feasibility": plan.feasibility, "cost": str(plan.vote_cost)}  # fmt: skip
    if on_ballot is not None:
        data["on_ballot"] = on_ballot
    notifications.emit(
        kind=Kind.PLAN_REVIEWED,
        subject=f"budgeting.plan:{plan.pk}",
        url=round.get_absolute_url(),
        recipients=[plan.author],
        data=data,
    )
