"""The rule: equal shares with completion, greedy beside it; pure, exact and reproducible."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from pabutools.election.pabulib import parse_pabulib_from_string

from budgeting.outcome import PlanInput, compute, compute_election

plans_st = st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=8).map(
    lambda costs: [PlanInput(i, c * 100) for i, c in enumerate(costs, start=1)]
)


@st.composite
def rounds(draw):
    plans = draw(plans_st)
    numbers = [p.number for p in plans]
    ballots = draw(
        st.lists(st.lists(st.sampled_from(numbers), min_size=1, unique=True), max_size=25)
    )
    budget = draw(st.integers(min_value=0, max_value=20_000))
    return budget, plans, ballots


@settings(max_examples=60, deadline=None)
@given(rounds())
def test_neither_outcome_spends_more_than_the_budget(election):
    budget, plans, ballots = election
    cost = {p.number: p.cost for p in plans}
    result = compute(budget, plans, ballots)
    assert sum(cost[n] for n in result.mes) <= budget
    assert sum(cost[n] for n in result.greedy) <= budget
    assert set(result.mes_phase) <= set(result.mes)
    assert all(result.votes[n] for n in result.mes + result.greedy)


@settings(max_examples=60, deadline=None)
@given(rounds())
def test_the_replayed_greedy_explains_what_pabutools_greedy_chose(election):
    from budgeting.outcome import _greedy

    budget, plans, ballots = election
    result = compute(budget, plans, ballots)
    cost = {p.number: p.cost for p in plans}
    replayed, _left = _greedy(sorted(cost), cost, result.votes, budget)
    assert sorted(replayed) == result.greedy


@settings(max_examples=60, deadline=None)
@given(rounds())
def test_every_ballot_is_counted_once(election):
    budget, plans, ballots = election
    result = compute(budget, plans, ballots)
    assert result.ballots == len(ballots)
    assert sum(result.votes.values()) == sum(len(b) for b in ballots)
    for plan in plans:
        assert result.votes[plan.number] == sum(plan.number in b for b in ballots)


@settings(max_examples=30, deadline=None)
@given(rounds())
def test_the_outcome_is_the_same_on_every_run_and_in_any_ballot_order(election):
    budget, plans, ballots = election
    first = compute(budget, plans, ballots).as_json()
    assert compute(budget, plans, ballots).as_json() == first
    assert compute(budget, list(reversed(plans)), list(reversed(ballots))).as_json() == first


def test_equal_shares_funds_a_minority_that_greedy_leaves_with_nothing():
    # given 60 residents want the three big plans of the north, 40 want the south's plan
    plans = [PlanInput(1, 3000), PlanInput(2, 3000), PlanInput(3, 3000), PlanInput(4, 3000)]
    ballots = [[1, 2, 3]] * 60 + [[4]] * 40
    # when
    result = compute(9000, plans, ballots)
    # then greedy gives everything to the majority, equal shares gives the south its plan
    assert result.greedy == [1, 2, 3]
    assert 4 in result.mes
    assert len(result.mes) == 3


def test_the_explanation_numbers_are_what_the_voters_had_left():
    # 10 voters, budget 1000: each has 100. Plan 1 (600) is paid by its 6 voters (100 each);
    # plan 2 (500) has 4 voters with 100 each = 400 < 500.
    plans = [PlanInput(1, 600), PlanInput(2, 500)]
    ballots = [[1]] * 6 + [[2]] * 4
    result = compute(1000, plans, ballots)
    assert result.mes == [1]
    assert result.greedy == [1]
    left = Fraction(result.left_with_voters[2])
    # shares were raised while the outcome still fit: 4 voters never reach 500 within 1000
    assert left < 500
    assert left == 4 * Fraction(result.share)
    assert result.greedy_left_at_turn[2] == 400


def test_no_ballots_funds_nothing():
    result = compute(5000, [PlanInput(1, 100)], [])
    assert result.mes == [] and result.greedy == [] and result.ballots == 0


def test_ties_go_to_the_lower_number():
    plans = [PlanInput(1, 500), PlanInput(2, 500)]
    ballots = [[1], [2]]
    assert compute(500, plans, ballots).mes == [1]
    assert compute(500, plans, ballots).greedy == [1]


def test_a_pabulib_string_read_back_gives_the_same_winners():
    plans = [PlanInput(i, c) for i, c in enumerate([800, 1200, 400, 2500, 900], start=1)]
    ballots = [[1, 3], [2, 3, 5], [4], [4, 5], [1, 2, 3, 4, 5], [3], [2, 4]]
    text = "META\nkey;value\nbudget;3000\nvote_type;approval\nnum_projects;5\nnum_votes;7\n"
    text += "PROJECTS\nproject_id;cost\n" + "".join(f"{p.number};{p.cost}\n" for p in plans)
    text += "VOTES\nvoter_id;vote\n"
    text += "".join(f"{i};{','.join(map(str, b))}\n" for i, b in enumerate(ballots, 1))
    instance, profile = parse_pabulib_from_string(text)
    assert compute_election(instance, profile).as_json() == compute(3000, plans, ballots).as_json()


# --- The Świecie rule: a minimum share of the votes (optional, frozen with the round) ----------


@settings(max_examples=60, deadline=None)
@given(rounds(), st.integers(min_value=0, max_value=100))
def test_the_minimum_share_of_the_votes_is_respected_by_both_outcomes(election, percent):
    budget, plans, ballots = election
    cost = {p.number: p.cost for p in plans}
    result = compute(budget, plans, ballots, min_vote_percent=percent)
    for number in result.mes + result.greedy:
        assert result.votes[number] * 100 >= percent * len(ballots)
    assert sum(cost[n] for n in result.mes) <= budget
    assert sum(cost[n] for n in result.greedy) <= budget
    # every ballot is still counted once, also for the plans the rule leaves out
    assert result.ballots == len(ballots)
    for plan in plans:
        assert result.votes[plan.number] == sum(plan.number in b for b in ballots)
    assert set(result.below_minimum) == {
        n for n, v in result.votes.items() if v * 100 < percent * len(ballots)
    }
    # the same on every run; without a minimum the rule changes nothing
    assert compute(budget, plans, ballots, min_vote_percent=percent).as_json() == result.as_json()
    plain = compute(budget, plans, ballots).as_json()
    assert compute(budget, plans, ballots, min_vote_percent=0).as_json() == plain


def test_a_plan_below_the_minimum_share_is_not_paid_and_the_explanation_says_why():
    from django.utils import translation

    from budgeting.explain import results

    plans = [PlanInput(1, 1000), PlanInput(2, 1000), PlanInput(3, 1000)]
    # plan 3 has 1 vote of 10 (10%): funded without the rule, not with a 20% minimum
    ballots = [[1, 2]] * 5 + [[1]] * 4 + [[3]]
    assert 3 in compute(3000, plans, ballots).mes
    result = compute(3000, plans, ballots, min_vote_percent=20)
    assert result.mes == [1, 2] and result.greedy == [1, 2] and result.below_minimum == [3]

    class Plan:
        def __init__(self, number):
            self.number, self.title, self.vote_cost = number, f"Plan {number}", 1000

    with translation.override("nl"):
        found = results(result.as_json(), [Plan(1), Plan(2), Plan(3)])
    assert (
        found[2].why_not
        == found[2].why_not_greedy
        == (
            "Dit plan kreeg 1 stem. Dat is minder dan 20% van de 10 stemmers. Een plan heeft "
            "minstens 20% van de stemmen nodig om betaald te worden."
        )
    )
    assert found[0].equal_shares and found[0].why_not == ""
