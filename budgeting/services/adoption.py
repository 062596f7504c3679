"""After the vote: the outcome computed (equal shares), put to the community board as one
package, and the round settled."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common.services import refused_by_the_database
from governance import services as governance
from governance.models import Body, Proposal
from initiatives import services as register
from initiatives.classifications import InitiatorType, OrganisationForm, Phase
from initiatives.models import Initiative

from .. import notify
from .. import outcome as rule
from .. import rules as budgeting_rules
from ..explain import euros
from ..models import BallotChoice, Plan, Round, round_rules
from .base import Status, _save, round_step


def round_election(round: Round) -> tuple[int, list[rule.PlanInput], list[list[int]]]:
    """The frozen round as the rule's input: budget, plans (number, cost) and the ballots (plan
    numbers, ascending). The same data the `.pb` export publishes.

    The ballots are sorted by their plan numbers, not in the order they were cast: the order of
    casting would let whoever knows who voted when (an officer at a table, a neighbour, a
    request log) read a named person's ballot in the published file (insider review
    2026-12-05, F9). The rule gives the same outcome in any order."""
    plans = Plan.objects.filter(round=round, number__isnull=False).order_by("number")
    inputs = [rule.PlanInput(p.number, int(p.vote_cost)) for p in plans]
    ballots: dict[int, list[int]] = {}
    rows = BallotChoice.objects.filter(ballot__round=round).order_by("ballot_id", "plan__number")
    for ballot_id, number in rows.values_list("ballot_id", "plan__number"):
        ballots.setdefault(ballot_id, []).append(number)
    return int(round.budget), inputs, sorted(ballots.values())


COMPUTED_AFTER_CLOSING = gettext_lazy("The outcome is computed after voting has closed.")


@round_step("budgeting.compute_outcome", budgeting_rules.voting_has_closed, COMPUTED_AFTER_CLOSING)
def compute_outcome(*, actor: User | None, round: Round) -> Round:
    """Voting → computed, after the window closed: both outcomes stored with the round. First
    every voter whose "you voted" notice still waits is told (a ballot written by SQL)."""
    now = timezone.now()
    notify.tell_voters(round_id=round.pk)
    budget, plans, ballots = round_election(round)
    round.outcome = rule.compute(
        budget, plans, ballots, min_vote_percent=round.min_vote_percent
    ).as_json()
    round.computed_at = now
    round.status = Status.COMPUTED
    # The database computes by its own clock, which may be behind this server's: then voting
    # has not closed yet, as the rule above says when the clocks agree (nothing is written).
    with refused_by_the_database(
        round_rules.STILL_VOTING, lambda: ValidationError(COMPUTED_AFTER_CLOSING, code="open")
    ):
        _save(round, actor)
    return round


def _refuse_an_outcome_its_ballots_do_not_give(round: Round) -> None:
    """The stored outcome is computed again from the stored ballots before it goes to the board:
    an outcome written by SQL (a plan nobody chose funded) stops here (insider review F4)."""
    budget, plans, ballots = round_election(round)
    again = rule.compute(budget, plans, ballots, min_vote_percent=round.min_vote_percent)
    if again.as_json() != round.outcome:
        raise ValidationError(
            _(
                "The stored outcome is not what the ballots give. It is not put to the "
                "community board. Tell the municipality's administrators."
            ),
            code="outcome_differs",
        )


def _register_initiative(plan: Plan, round: Round, actor) -> Initiative:
    """A funded plan that is not in the register yet gets registered, so the ledger can pay it."""

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


def _deciding_board(body):
    """The community board that decides a round's package (the only one when none is named):
    50%+1 with the community guarantee, or the package is refused."""

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
    return body


@round_step(
    "budgeting.submit_to_board",
    budgeting_rules.outcome_is_computed,
    gettext_lazy("Only a computed outcome can be put to the community board."),
)
def submit_to_board(*, actor: User | None, round: Round, body=None) -> Round:
    """Computed → adoption: the equal-shares outcome becomes ONE fund-allocation package, put
    to the community board (50%+1 with the community guarantee). The board can adopt or reject
    the package, not change it. A funded plan without a register initiative gets one."""

    body = _deciding_board(body)
    _refuse_an_outcome_its_ballots_do_not_give(round)
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


@round_step(
    "budgeting.settle_round",
    budgeting_rules.awaits_the_board,
    gettext_lazy("This round is not waiting for the community board."),
)
def settle_round(*, actor: User | None, round: Round, reason: str = "") -> Round:
    """Adoption → committed (the board adopted and the decision was carried out: one allocation
    per funded plan) or rejected (the money stays in the fund; the round's page says why).

    A rejection needs the board's written `reason` (B1, shown under "Why rejected"). It is
    recorded with the round only: the package proposal, its lines and the decision stay as
    they are, and the reason is never rewritten afterwards (a trigger on PostgreSQL)."""

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
