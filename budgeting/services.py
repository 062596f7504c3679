"""Every write of a budget round: one function per use case, keyword-only, with the actor.

Each service checks the same django-rules permission the view asks, runs in one transaction and
records the actor in the audit trail. Lock order: the round row first (select_for_update), then
its plans; freezing reads the fund's available money through sroi's ledger selectors.
"""

import datetime
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common.services import service
from initiatives.models import Classification, Initiative
from notifications import services as notifications
from notifications.models import Kind
from sroi import ledger_selectors
from sroi.models import Fund

from . import outcome as rule
from . import rules as budgeting_rules
from .explain import euros
from .models import Ballot, BallotChoice, Plan, Round

Status = Round.Status


NOT_ALLOWED = gettext_lazy("You may not do this.")


def _plan_refusal(kwargs) -> str:
    return _(
        "Only verified residents of %(area)s can submit a plan, while the round collects plans."
    ) % {"area": kwargs["round"].area}


def _shift_refusal(kwargs) -> str:
    return _("You can only do this during your own check-in shift at %(location)s.") % {
        "location": kwargs["location"]
    }


def _vote_refusal(kwargs) -> str:
    return _("Only verified residents of %(area)s can vote, while voting is open.") % {
        "area": kwargs["round"].area
    }


def _locked(round: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round.pk)


def _save(obj, actor) -> None:
    obj._history_user = actor
    obj.save()


def _whole_euros(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationError({field: _("Give the amount in whole euros.")}) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value():
        raise ValidationError({field: _("Give the amount in whole euros, more than zero.")})
    if amount >= Decimal("1e12"):
        raise ValidationError({field: _("This amount is too large.")})
    return amount.quantize(Decimal("0.01"))


def _is_percent(value) -> bool:
    try:
        return value is None or (int(value) == value and 0 <= int(value) <= 100)
    except (TypeError, ValueError):
        return False


def _refuse_frozen(round: Round) -> None:
    if round.is_frozen:
        raise ValidationError(
            _("This round is frozen: its budget, plans and rules can no longer change."),
            code="frozen",
        )


def _check_window(opens, closes) -> None:
    if opens and closes and closes <= opens:
        raise ValidationError({"voting_closes_at": _("Voting must close after it opens.")})


@service("budgeting.manage_round", message=NOT_ALLOWED)
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


@service("budgeting.manage_round", message=NOT_ALLOWED)
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


def _move(round: Round, actor, *, frm: tuple, to: str) -> Round:
    round = _locked(round)
    if round.status not in frm:
        raise ValidationError(
            _("This step is not possible now: the round is %(status)s.")
            % {"status": round.get_status_display().lower()},
            code="status",
        )
    round.status = to
    _save(round, actor)
    return round


@service("budgeting.manage_round", message=NOT_ALLOWED)
def open_ideas(*, actor: User | None, round: Round) -> Round:
    """Draft → ideas: residents of the area may submit plans."""
    return _move(round, actor, frm=(Status.DRAFT,), to=Status.IDEAS)


@service("budgeting.manage_round", message=NOT_ALLOWED)
def start_review(*, actor: User | None, round: Round) -> Round:
    """Ideas → review: no new plans; civil servants review feasibility and cost."""
    return _move(round, actor, frm=(Status.IDEAS,), to=Status.REVIEW)


@service("budgeting.submit_plan", obj=lambda kw: _locked(kw["round"]), message=_plan_refusal)
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
    round = _locked(round)
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


@service("budgeting.review_plan", message=NOT_ALLOWED)
def review_plan(
    *, actor: User | None, plan: Plan, feasible: bool, reason: str = "", reviewed_cost=None
) -> Plan:
    """A civil servant's review: feasible or not, the cost it will have on the ballot, and why.

    The reason goes to the author (a notification); it is required when the plan is not
    feasible or its cost changes."""
    round = _locked(plan.round)
    plan = Plan.objects.get(pk=plan.pk)
    _refuse_frozen(round)
    if round.status not in (Status.IDEAS, Status.REVIEW):
        raise ValidationError(_("Plans are reviewed while the round collects or reviews them."))
    reason = (reason or "").strip()
    cost = None
    if reviewed_cost not in (None, ""):
        cost = _whole_euros(reviewed_cost, "reviewed_cost")
    changed = cost is not None and cost != plan.cost
    if (not feasible or changed) and not reason:
        raise ValidationError(
            {"reason": _("Explain your review to the author: it is sent to them.")}
        )
    plan.feasibility = Plan.Feasibility.FEASIBLE if feasible else Plan.Feasibility.UNFEASIBLE
    plan.reviewed_cost = cost
    plan.review_reason = reason
    plan.reviewed_by = actor
    plan.reviewed_at = timezone.now()
    _save(plan, actor)
    notifications.emit(
        kind=Kind.ADVICE,
        subject=f"budgeting.plan:{plan.pk}",
        url=round.get_absolute_url(),
        recipients=[plan.author],
        data={"title": plan.title, "reason": reason,
              "feasibility": plan.feasibility, "cost": str(plan.vote_cost)},
    )  # fmt: skip
    return plan


def _tie_break_order(plans: list[Plan], tie_break: str) -> list[Plan]:
    if tie_break == Round.TieBreak.LOWER_COST:
        return sorted(plans, key=lambda p: (p.vote_cost, p.created_at, p.pk))
    return sorted(plans, key=lambda p: (p.created_at, p.pk))


@service("budgeting.manage_round", message=NOT_ALLOWED)
def freeze_round(*, actor: User | None, round: Round) -> Round:
    """Review → frozen: the budget (the money available in the fund now, whole euros), the
    plans, the ballot rule, the minimum and the tie-break order (the plans' numbers) are fixed."""
    now = timezone.now()
    round = _locked(round)
    if round.status != Status.REVIEW:
        raise ValidationError(_("A round is frozen after its plans were reviewed."))
    plans = list(Plan.objects.select_for_update().filter(round=round))
    errors = []
    if any(p.feasibility == Plan.Feasibility.PENDING for p in plans):
        errors.append(_("Review every plan first."))
    feasible = [p for p in plans if p.feasibility == Plan.Feasibility.FEASIBLE]
    if len(feasible) < round.min_plans:
        errors.append(
            _("There are %(count)s feasible plans; a ballot needs at least %(min)s.")
            % {"count": len(feasible), "min": round.min_plans}
        )
    if not round.voting_opens_at or not round.voting_closes_at:
        errors.append(_("Set when voting opens and closes."))
    elif round.voting_closes_at <= now:
        errors.append(_("The voting window has already passed."))
    # The money available at the end of today: the ledger takes no dates in the future, so this
    # is all of it (and the demo, which runs with its clock set back, sees that day's money).
    available = ledger_selectors.position(round.fund, until=timezone.localdate(now)).available
    budget = available.to_integral_value(rounding=ROUND_FLOOR)
    if budget <= 0:
        errors.append(_("The fund has no money available for this round."))
    if errors:
        raise ValidationError(errors)
    for number, plan in enumerate(_tie_break_order(feasible, round.tie_break), start=1):
        plan.number = number
    for plan in plans:
        plan.locked = True
        _save(plan, actor)
    round.budget = budget.quantize(Decimal("0.01"))
    round.frozen_at = now
    round.status = Status.FROZEN
    _save(round, actor)
    return round


@service("budgeting.manage_round", message=NOT_ALLOWED)
def open_voting(*, actor: User | None, round: Round) -> Round:
    """Frozen → voting; ballots count inside the frozen window."""
    return _move(round, actor, frm=(Status.FROZEN,), to=Status.VOTING)


@service(
    "budgeting.vote", obj=lambda kw: Round.objects.get(pk=kw["round"].pk), message=_vote_refusal
)
def cast_ballot(*, actor: User | None, round: Round, plans) -> Ballot:
    """A resident's approval ballot: at least the round's minimum number of its plans, once."""
    try:
        with transaction.atomic():
            return _cast(actor=actor, round=round, plans=plans)
    except IntegrityError:
        if Ballot.objects.filter(round=round, voter=actor).exists():
            raise ValidationError(
                _("You have already voted in this round."), code="voted"
            ) from None
        raise


def _cast(*, actor, round: Round, plans) -> Ballot:
    round = Round.objects.get(pk=round.pk)
    if Ballot.objects.filter(round=round, voter=actor).exists():
        raise ValidationError(_("You have already voted in this round."), code="voted")
    return _store_ballot(round, actor, plans, cast_at=timezone.now())


def _store_ballot(round: Round, voter, plans, **fields) -> Ballot:
    """The ballot and its choices, after the caller checked who may cast it (any channel)."""
    ids = {getattr(p, "pk", p) for p in plans}
    on_ballot = set(
        Plan.objects.filter(round=round, number__isnull=False, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    if on_ballot != ids:
        raise ValidationError(_("Choose only plans of this round."), code="plans")
    if len(ids) < round.min_plans:
        raise ValidationError(
            _("Choose at least %(min)s plans. You chose %(count)s.")
            % {"min": round.min_plans, "count": len(ids)},
            code="too_few",
        )
    ballot = Ballot.objects.create(round=round, voter=voter, **fields)
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, plan_id=pk) for pk in sorted(ids))
    return ballot


@service("governance.act_as_officer", message=_shift_refusal)
def enter_paper_ballot(
    *,
    actor: User | None,
    round: Round,
    location,
    voter,
    plans,
    channel: str = Ballot.Channel.PAPER,
    identity_check: str,
) -> Ballot:
    """An officer in a check-in shift at a Community Home checks a resident in for the round and
    enters the plans ticked on their paper ballot, or the plans they choose on the station's
    screen with help (`channel`). The resident must be a verified resident of the round's area
    who has not voted yet, online or on paper (the database keeps one ballot per resident).
    The ballot records its channel, the location, the shift and the officer."""
    try:
        with transaction.atomic():
            return _enter_paper(actor, round, location, voter, plans, channel, identity_check)
    except IntegrityError:
        if Ballot.objects.filter(round=round, voter=voter).exists():
            raise ValidationError(already_voted(round, voter), code="voted") from None
        raise


def already_voted(round: Round, voter) -> str:
    ballot = Ballot.objects.filter(round=round, voter=voter).select_related("location").first()
    if ballot is not None and ballot.location is not None:
        return _(
            "This resident has already voted in this round, at %(location)s. One vote per "
            "resident."
        ) % {"location": ballot.location}  # fmt: skip
    return _("This resident has already voted in this round, online. One vote per resident.")


def _enter_paper(actor, round, location, voter, plans, channel, identity_check) -> Ballot:
    from governance import officing
    from governance.models import CheckIn, OfficerShift

    now = timezone.now()
    if channel not in (Ballot.Channel.PAPER, Ballot.Channel.ASSISTED):
        raise ValidationError({"channel": _("Choose paper or assisted voting.")})
    if identity_check not in CheckIn.IdentityCheck.values:
        raise ValidationError({"identity_check": _("Say how you checked who this is.")})
    shift = officing.current_shift(
        officer=actor, location=location, task=OfficerShift.Task.CHECK_IN, at=now
    )
    if shift is None:
        raise ValidationError(
            _("You can only do this during your own check-in shift at %(location)s.")
            % {"location": location},
            code="no_shift",
        )
    round = Round.objects.get(pk=round.pk)
    if not (
        round.status == Status.VOTING and round.voting_opens_at <= now < round.voting_closes_at
    ):
        raise ValidationError(_("Voting in this round is not open."), code="closed")
    if voter is None or not budgeting_rules.may_vote_some_time.test(voter, round):
        raise ValidationError(
            _("This person is not a verified resident of %(area)s, so cannot vote in this round.")
            % {"area": round.area},
            code="not_resident",
        )
    officing.refuse_own_location(
        voter=voter, actor=actor, location=location,
        opens=round.voting_opens_at, closes=round.voting_closes_at,
    )  # fmt: skip
    if Ballot.objects.filter(round=round, voter=voter).exists():
        raise ValidationError(already_voted(round, voter), code="voted")
    return _store_ballot(
        round, voter, plans, cast_at=now, channel=channel, entered_by=actor,
        location=location, shift=shift, identity_check=identity_check,
    )  # fmt: skip


def round_election(round: Round) -> tuple[int, list[rule.PlanInput], list[list[int]]]:
    """The frozen round as the rule's input: budget, plans (number, cost) and the ballots (plan
    numbers), in ballot order. The same data the `.pb` export publishes."""
    plans = Plan.objects.filter(round=round, number__isnull=False).order_by("number")
    inputs = [rule.PlanInput(p.number, int(p.vote_cost)) for p in plans]
    ballots: dict[int, list[int]] = {}
    rows = BallotChoice.objects.filter(ballot__round=round).order_by("ballot_id", "plan__number")
    for ballot_id, number in rows.values_list("ballot_id", "plan__number"):
        ballots.setdefault(ballot_id, []).append(number)
    return int(round.budget), inputs, list(ballots.values())


@service("budgeting.manage_round", message=NOT_ALLOWED)
def compute_outcome(*, actor: User | None, round: Round) -> Round:
    """Voting → computed, after the window closed: both outcomes stored with the round."""
    round = _locked(round)
    now = timezone.now()
    if round.status != Status.VOTING or now < round.voting_closes_at:
        raise ValidationError(_("The outcome is computed after voting has closed."))
    budget, plans, ballots = round_election(round)
    round.outcome = rule.compute(
        budget, plans, ballots, min_vote_percent=round.min_vote_percent
    ).as_json()
    round.computed_at = now
    round.status = Status.COMPUTED
    _save(round, actor)
    return round


def _register_initiative(plan: Plan, round: Round, actor) -> Initiative:
    """A funded plan that is not in the register yet gets registered, so the ledger can pay it."""
    from initiatives import services as register
    from initiatives.classifications import InitiatorType, OrganisationForm, Phase

    initiative = register.create_initiative(
        actor=actor,
        classifications=list(plan.leefgebieden.all()),
        name=plan.title,
        summary=plan.description[:300],
        description=plan.description,
        area=round.area,
        initiator_type=InitiatorType.RESIDENTS,
        organisation_form=OrganisationForm.NO_LEGAL_ENTITY,
        phase=Phase.IDEA,
    )
    plan.initiative = initiative  # the one change a frozen plan allows (see the model)
    _save(plan, actor)
    return initiative


@service("budgeting.manage_round", message=NOT_ALLOWED)
def submit_to_board(*, actor: User | None, round: Round, body=None) -> Round:
    """Computed → adoption: the equal-shares outcome becomes ONE fund-allocation package, put
    to the community board (50%+1 with the community guarantee). The board can adopt or reject
    the package, not change it. A funded plan without a register initiative gets one."""
    from governance import services as governance
    from governance.models import Body

    round = _locked(round)
    if body is None:
        boards = list(Body.objects.filter(kind=Body.Kind.BOARD)[:2])
        if len(boards) != 1:
            raise ValidationError(_("Choose the community board that decides."))
        body = boards[0]
    rule = body.decision_rule
    if (
        body.kind != Body.Kind.BOARD
        or rule is None
        or rule.majority_percent != 50
        or not rule.community_guarantee
    ):
        raise ValidationError(
            _(
                "The package goes to the community board, decided by 50%+1 with the community "
                "guarantee."
            )  # fmt: skip
        )
    if round.status != Status.COMPUTED:
        raise ValidationError(_("Only a computed outcome can be put to the community board."))
    funded = list(
        Plan.objects.filter(round=round, number__in=round.outcome["mes"])
        .select_related("initiative")
        .order_by("number")
    )
    if not funded:
        raise ValidationError(_("No plan is funded, so there is nothing to decide."))
    lines = [
        {
            "position": plan.number,
            "initiative": plan.initiative or _register_initiative(plan, round, actor),
            "amount": plan.vote_cost,
            "purpose": plan.title,
            "source": f"budgeting.plan:{plan.pk}",
        }
        for plan in funded
    ]
    total = sum((line["amount"] for line in lines), start=Decimal(0))
    text = _(
        "The outcome of the budget round %(title)s: %(count)s plans, together %(total)s. "
        "Residents chose them with the Method of Equal Shares. The board can adopt or reject "
        "this package as a whole; it cannot change it. See %(url)s."
    ) % {"title": round.title, "count": len(lines), "total": euros(total),
         "url": round.get_absolute_url()}  # fmt: skip
    proposal = governance.create_package_proposal(
        actor=actor,
        title=_("Budget round: %(title)s") % {"title": round.title},
        text=text,
        body=body,
        fund=round.fund,
        lines=lines,
    )
    round.proposal = proposal
    round.status = Status.ADOPTION
    _save(round, actor)
    return round


@service("budgeting.manage_round", message=NOT_ALLOWED)
def settle_round(*, actor: User | None, round: Round, reason: str = "") -> Round:
    """Adoption → committed (the board adopted and the decision was carried out: one allocation
    per funded plan) or rejected (the money stays in the fund; the round's page says why).

    A rejection needs the board's written `reason` (B1, shown under "Why rejected"). It is
    recorded with the round only: the package proposal, its lines and the decision stay as
    they are, and the reason is never rewritten afterwards (a trigger on PostgreSQL)."""
    from governance.models import Proposal

    round = _locked(round)
    if round.status != Status.ADOPTION or round.proposal_id is None:
        raise ValidationError(_("This round is not waiting for the community board."))
    status = Proposal.objects.values_list("status", flat=True).get(pk=round.proposal_id)
    if status == Proposal.Status.EXECUTED:
        round.status = Status.COMMITTED
    elif status == Proposal.Status.REJECTED:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(
                {
                    "reason": _(
                        "Write down why the community board rejected the package. Residents "
                        "read it on the round's page."
                    )
                },
                code="reason",
            )
        round.status = Status.REJECTED
        round.rejection_reason = reason
    else:
        raise ValidationError(
            _("The community board has not decided yet, or the decision is not carried out.")
        )
    _save(round, actor)
    return round
