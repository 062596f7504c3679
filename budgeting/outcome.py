"""The outcome of a budget round: a pure function of the frozen round and its ballots.

The rule (issue 14, PARTICIPATION.md sketch 3): the Method of Equal Shares (MES) with cost
satisfaction, computed by pabutools with exact fractions (gmpy2). Every voter gets an equal share
of the budget; a plan is funded when its voters can pay for it together from their shares, the
plan that costs each of its voters the least first. MES often leaves money unspent, so it is
completed as in Wieliczka and Aarau: the voters' shares grow (on a grid of 1% of the budget)
while the outcome still fits the real budget, and what is left after that goes to plans by the most
votes (greedy) as long as they fit. The greedy outcome alone ("most votes first", what most
platforms do) is computed beside it for comparison.

Amounts are whole euros (integers), so nothing is rounded. Ties go to the plan with the lower
number; plans are numbered at freezing in the round's tie-break order, so anyone can recompute
the outcome from the published `.pb` file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

# Ties go to the lower plan number (the project names are the numbers).
LOWER_NUMBER_FIRST = TieBreakingRule(lambda instance, profile, project: int(project.name))
STEPS_PER_BUDGET = 100


@dataclass(frozen=True)
class PlanInput:
    number: int
    cost: int  # whole euros


@dataclass
class Outcome:
    """What each rule funds, with the numbers the explanations need (JSON-ready)."""

    budget: int
    ballots: int
    votes: dict[int, int]
    mes: list[int]
    mes_phase: list[int]  # funded by equal shares itself; the rest of `mes` by the completion
    greedy: list[int]
    # per plan not funded by MES: what its voters had left of their equal shares (exact, as str)
    left_with_voters: dict[int, str] = field(default_factory=dict)
    # per plan not funded by greedy: the money left when its turn came
    greedy_left_at_turn: dict[int, int] = field(default_factory=dict)
    share: str = "0"  # each voter's final equal share (a fraction, as str)
    # The Świecie rule: plans below this share of the ballots (%) could not be paid for.
    min_vote_percent: int = 0
    below_minimum: list[int] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "min_vote_percent": self.min_vote_percent,
            "below_minimum": self.below_minimum,
            "budget": self.budget,
            "ballots": self.ballots,
            "votes": {str(k): v for k, v in self.votes.items()},
            "mes": self.mes,
            "mes_phase": self.mes_phase,
            "greedy": self.greedy,
            "left_with_voters": {str(k): v for k, v in self.left_with_voters.items()},
            "greedy_left_at_turn": {str(k): v for k, v in self.greedy_left_at_turn.items()},
            "share": self.share,
        }


def election(
    budget: int, plans: Sequence[PlanInput], ballots: Iterable[Iterable[int]]
) -> tuple[Instance, ApprovalProfile]:
    """The round as a pabutools instance and approval profile (also what the `.pb` file holds)."""
    projects = {plan.number: Project(str(plan.number), plan.cost) for plan in plans}
    instance = Instance(projects.values(), budget_limit=budget)
    profile = ApprovalProfile(
        [ApprovalBallot(projects[number] for number in sorted(set(ballot))) for ballot in ballots],
        instance=instance,
    )
    return instance, profile


def compute(
    budget: int,
    plans: Sequence[PlanInput],
    ballots: Sequence[Iterable[int]],
    *,
    min_vote_percent: int = 0,
) -> Outcome:
    """MES with cost satisfaction and completion, and greedy beside it (see the module doc).

    `min_vote_percent` (the Świecie rule): a plan chosen on fewer than this percentage of the
    ballots cannot be paid for by either rule. Such plans are left out before computing (their
    voters keep their equal shares, which go to the plans that remain); their votes are kept."""
    ballots = [sorted(set(ballot)) for ballot in ballots]
    if not min_vote_percent:
        return compute_election(*election(budget, plans, ballots))
    votes = {plan.number: 0 for plan in plans}
    for ballot in ballots:
        for number in ballot:
            votes[number] += 1
    below = sorted(n for n, count in votes.items() if count * 100 < min_vote_percent * len(ballots))
    kept = [plan for plan in plans if plan.number not in below]
    outcome = compute_election(
        *election(budget, kept, [[n for n in ballot if n not in below] for ballot in ballots])
    )
    outcome.votes = dict(sorted(votes.items()))
    outcome.min_vote_percent = min_vote_percent
    outcome.below_minimum = below
    return outcome


def compute_pabulib(instance: Instance, profile: ApprovalProfile) -> Outcome:
    """`compute` on a round read back from its `.pb` file, the minimum vote share included
    (META `min_vote_percent`, written only when the round has one): what anyone can recompute."""
    plans = [PlanInput(int(p.name), int(p.cost)) for p in instance]
    ballots = [[int(project.name) for project in ballot] for ballot in profile]
    minimum = int((getattr(instance, "meta", None) or {}).get("min_vote_percent", 0) or 0)
    return compute(int(instance.budget_limit), plans, ballots, min_vote_percent=minimum)


def compute_election(instance: Instance, profile: ApprovalProfile) -> Outcome:
    """`compute` on a pabutools instance and profile (for example read from a `.pb` file)."""
    budget = int(instance.budget_limit)
    numbers = sorted(int(p.name) for p in instance)
    cost = {int(p.name): int(p.cost) for p in instance}
    votes = dict.fromkeys(numbers, 0)
    for ballot in profile:
        for project in ballot:
            votes[int(project.name)] += 1
    n = profile.num_ballots()

    mes_phase, limit = _equal_shares_completed(instance, profile, budget)
    # pabutools' greedy also takes plans nobody chose (last, as they add nothing): dropped.
    completed = greedy_utilitarian_welfare(
        instance,
        profile,
        sat_class=Cost_Sat,
        tie_breaking=LOWER_NUMBER_FIRST,
        initial_budget_allocation=mes_phase,
    )
    mes = [int(p.name) for p in completed if votes[int(p.name)]]
    greedy = greedy_utilitarian_welfare(
        instance, profile, sat_class=Cost_Sat, tie_breaking=LOWER_NUMBER_FIRST
    )
    greedy_order = [int(p.name) for p in greedy if votes[int(p.name)]]
    _replayed, greedy_left = _greedy(numbers, cost, votes, budget)
    share = Fraction(limit, n) if n else Fraction(0)
    left = _left_with_voters(profile, [int(p.name) for p in mes_phase], cost, share)
    return Outcome(
        budget=budget,
        ballots=n,
        votes=votes,
        mes=sorted(mes),
        mes_phase=sorted(int(p.name) for p in mes_phase),
        greedy=sorted(greedy_order),
        left_with_voters={k: str(v) for k, v in left.items() if k not in mes},
        greedy_left_at_turn={k: v for k, v in greedy_left.items() if k not in greedy_order},
        share=str(share),
    )


def _equal_shares_completed(instance: Instance, profile, budget: int):
    """MES, with the voters' shares raised while the outcome still fits the budget.

    The shares grow on a grid of 1% of the budget. One MES run on 200 plans and 10,000 ballots
    takes seconds, so the grid is searched, not walked: the raise doubles (1, 2, 4, ... steps)
    until the outcome no longer fits or spends everything, then the last fitting and first
    failing raises are bisected. Raising the shares almost always only adds plans; where it
    does not, the result still fits the budget and is the same on every run. Returns the
    fitting outcome with the highest shares found (in the order MES chose its plans) and the
    total of the shares it was computed with.
    """
    if profile.num_ballots() == 0 or budget <= 0:
        return [], budget
    step = max(1, budget // STEPS_PER_BUDGET)
    raised = Instance(instance, budget_limit=budget)

    def run(steps: int):
        raised.budget_limit = budget + steps * step
        outcome = method_of_equal_shares(
            raised, profile, sat_class=Cost_Sat, tie_breaking=LOWER_NUMBER_FIRST
        )
        return list(outcome), sum(p.cost for p in outcome) <= budget

    best, fits = run(0)
    if not fits:  # cannot happen with the real budget; kept so the rule is total
        return [], budget
    good, bad = 0, None
    most = STEPS_PER_BUDGET * (profile.num_ballots() + 1)
    steps = 1
    while not instance.is_exhaustive(best) and steps <= most:
        outcome, fits = run(steps)
        if not fits:
            bad = steps
            break
        best, good = outcome, steps
        steps *= 2
    while bad is not None and bad - good > 1 and not instance.is_exhaustive(best):
        middle = (good + bad) // 2
        outcome, fits = run(middle)
        if fits:
            best, good = outcome, middle
        else:
            bad = middle
    return best, budget + good * step


def _greedy(numbers, cost, votes, budget) -> tuple[list[int], dict[int, int]]:
    """Most votes first (ties: lower number), skipping a plan that no longer fits: pabutools'
    greedy with cost satisfaction, replayed for the money left at each plan's turn."""
    left = budget
    chosen, left_at_turn = [], {}
    for number in sorted(numbers, key=lambda k: (-votes[k], k)):
        left_at_turn[number] = left
        if votes[number] and cost[number] <= left:
            chosen.append(number)
            left -= cost[number]
    return chosen, left_at_turn


def _left_with_voters(profile, order: list[int], cost, share: Fraction) -> dict[int, Fraction]:
    """Replay the payments of equal shares: each funded plan's voters pay equal parts, one who
    has less pays all he has. Returns, per plan, what its voters have left together at the end."""
    ballots = [frozenset(int(p.name) for p in ballot) for ballot in profile]
    money = [share] * len(ballots)
    for number in order:
        payers = sorted((i for i, b in enumerate(ballots) if number in b), key=lambda i: money[i])
        due = Fraction(cost[number])
        for position, i in enumerate(payers):
            part = min(money[i], due / (len(payers) - position))
            money[i] -= part
            due -= part
    left: dict[int, Fraction] = {}
    for i, ballot in enumerate(ballots):
        for number in ballot:
            left[number] = left.get(number, Fraction(0)) + money[i]
    return left
