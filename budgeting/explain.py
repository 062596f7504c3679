"""The outcome in words (B1): per plan, funded or not, and why not, for both rules."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sroi.formatting import format_money


def euros(amount) -> str:
    """Whole euros as people read them: € 3.100 (a part of a euro left off)."""
    if isinstance(amount, Fraction):
        amount = amount.numerator // amount.denominator
    whole = Decimal(amount).to_integral_value(rounding=ROUND_FLOOR)
    return f"€\u00a0{number_format(whole, 0, use_l10n=True, force_grouping=True)}"


def euros_and_cents(amount) -> str:
    """Euros to the cent, as the annual report writes all its money: € 3.100,00 (a part of a
    cent left off)."""
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator * 100 // amount.denominator) / 100
    return format_money(Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


# How `results` writes an amount: whole euros on the round's pages, cents in the annual report.
Amount = Callable[[object], str]


@dataclass
class PlanResult:
    number: int
    title: str
    cost: Decimal
    votes: int
    equal_shares: bool
    greedy: bool
    why_not: str  # empty when equal shares funds it
    why_not_greedy: str


def _votes(count: int) -> str:
    return ngettext("This plan got %(count)s vote.", "This plan got %(count)s votes.", count) % {
        "count": count
    }


def why_not_equal_shares(*, votes: int, left, cost, amount: Amount = euros) -> str:
    """Why equal shares did not fund a plan, in short sentences."""
    if votes == 0:
        return _("Nobody chose this plan.")
    left = Fraction(left)
    if left < cost:
        return " ".join(
            [
                _votes(votes),
                ngettext(
                    "Its voter had %(left)s left of their equal share.",
                    "Its %(count)s voters had %(left)s left of their equal shares together.",
                    votes,
                )
                % {"count": votes, "left": amount(left)},
                _("The plan costs %(cost)s.") % {"cost": amount(cost)},
            ]
        )  # fmt: skip
    return " ".join(
        [
            _votes(votes),
            _("Its voters could pay for it, but the money ran out for plans with more votes."),
        ]
    )


def why_not_greedy(*, votes: int, left_at_turn: int, cost, amount: Amount = euros) -> str:
    if votes == 0:
        return _("Nobody chose this plan.")
    return " ".join(
        [
            _votes(votes),
            _("When it was its turn, %(left)s was left. The plan costs %(cost)s.")
            % {"left": amount(left_at_turn), "cost": amount(cost)},
        ]
    )


def below_minimum(*, votes: int, ballots: int, percent: int) -> str:
    """Why the Świecie rule kept a plan out: too small a share of the votes."""
    if votes == 0:
        return _("Nobody chose this plan.")
    return " ".join(
        [
            _votes(votes),
            _(
                "That is less than %(percent)s%% of the %(ballots)s voters. A plan needs at "
                "least %(percent)s%% of the votes to be paid for."
            ) % {"percent": percent, "ballots": ballots},
        ]
    )  # fmt: skip


def results(outcome: dict, plans, *, amount: Amount = euros) -> list[PlanResult]:
    """Per plan on the ballot (number ascending), what each rule did and why not."""
    below = set(outcome.get("below_minimum", ()))
    if below:
        text = {
            n: below_minimum(
                votes=outcome["votes"].get(str(n), 0),
                ballots=outcome["ballots"],
                percent=outcome["min_vote_percent"],
            )
            for n in below
        }
        return [
            PlanResult(
                number=r.number, title=r.title, cost=r.cost, votes=r.votes,
                equal_shares=r.equal_shares, greedy=r.greedy,
                why_not=text.get(r.number, r.why_not),
                why_not_greedy=text.get(r.number, r.why_not_greedy),
            )
            for r in results({**outcome, "below_minimum": []}, plans, amount=amount)
        ]  # fmt: skip
    votes = {int(k): v for k, v in outcome["votes"].items()}
    left = {int(k): Fraction(v) for k, v in outcome["left_with_voters"].items()}
    greedy_left = {int(k): v for k, v in outcome["greedy_left_at_turn"].items()}
    mes, greedy = set(outcome["mes"]), set(outcome["greedy"])
    found = []
    for plan in plans:
        n = plan.number
        cost = plan.vote_cost
        found.append(
            PlanResult(
                number=n, title=plan.title, cost=cost, votes=votes.get(n, 0),
                equal_shares=n in mes, greedy=n in greedy,
                why_not="" if n in mes else why_not_equal_shares(
                    votes=votes.get(n, 0), left=left.get(n, 0), cost=cost, amount=amount
                ),
                why_not_greedy="" if n in greedy else why_not_greedy(
                    votes=votes.get(n, 0), left_at_turn=greedy_left.get(n, 0), cost=cost,
                    amount=amount,
                ),
            )
        )  # fmt: skip
    return found


def above_budget(cost, budget) -> str:
    """Why a feasible plan is not on the ballot: it costs more than the whole budget."""
    return _(
        "This plan costs %(cost)s. That is more than the whole budget of this round "
        "(%(budget)s). So it can never be paid for, and it is not on the ballot."
    ) % {"cost": euros(cost), "budget": euros(budget)}  # fmt: skip


def review_outcome(plan) -> str:
    """What a review found, in words (B1), for the message to the plan's author."""
    if plan.feasibility != plan.Feasibility.FEASIBLE:
        return _("It is not feasible.")
    if plan.reviewed_cost is not None and plan.reviewed_cost != plan.cost:
        return _("It is feasible, at a cost of %(cost)s.") % {"cost": euros(plan.vote_cost)}
    return _("It is feasible.")


def not_on_ballot(plan, budget) -> str:
    """Why a plan of a frozen round is not on its ballot, in words (B1): the review found it not
    feasible (with the review's reason), or it costs more than the round's `budget`."""
    if plan.feasibility != plan.Feasibility.FEASIBLE:
        reason = (plan.review_reason or "").strip()
        if not reason:
            return _("The municipality found this plan not feasible.")
        return _("The municipality found this plan not feasible: %(reason)s") % {"reason": reason}
    return above_budget(plan.vote_cost, budget)
