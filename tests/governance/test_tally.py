"""The tally as a pure function: examples, then properties over every vote combination."""

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from governance.tally import (
    ABSTAIN,
    ADOPTED,
    AGAINST,
    FOR,
    QUORUM_COUNT,
    QUORUM_KINDS,
    QUORUM_MAJORITY,
    QUORUM_NONE,
    QUORUM_PERCENT,
    REJECTED,
    Counts,
    Rule,
    TallyResult,
    explain,
    majority_needed,
    quorum_needed,
    summarise,
    tally,
    tally_counts,
)

BOARD = Rule()  # 50%+1, quorum: more than half of the electorate, community guarantee


def votes(community=(0, 0, 0), institution=(0, 0, 0)):
    """Votes as (choice, is_community) pairs from (for, against, abstain) per side."""
    result = []
    for counts, is_community in ((community, True), (institution, False)):
        for choice, n in zip((FOR, AGAINST, ABSTAIN), counts, strict=True):
            result += [(choice, is_community)] * n
    return result


def test_the_example_of_the_issue():
    # given 13 seats; 7 community votes (5 for, 2 against), 4 institution votes (2 for, 2 against)
    result = tally(votes((5, 2, 0), (2, 2, 0)), electorate=13, rule=BOARD)
    # then
    assert result.outcome == ADOPTED
    assert (result.voor, result.majority_needed) == (7, 6)
    assert (result.turnout, result.quorum_needed) == (11, 7)
    assert (result.community_voor, result.community_needed) == (5, 4)
    # then the explanation is short sentences in common words (B1), every number kept
    with translation.override("en"):
        assert explain(result) == (
            "Adopted. 7 of the 11 votes were in favour. At least 6 votes in favour were needed. "
            "11 of the 13 people who could vote have voted. At least 7 people had to vote. "
            "5 of the 7 votes from the community were in favour. "
            "At least 4 votes in favour from the community were needed."
        )
    with translation.override("nl"):
        assert explain(result) == (
            "Aangenomen. 7 van de 11 stemmen waren voor. Er waren minstens 6 stemmen voor nodig. "
            "11 van de 13 mensen die mochten stemmen, hebben gestemd. "
            "Er moesten minstens 7 mensen stemmen. "
            "5 van de 7 stemmen uit de gemeenschap waren voor. "
            "Er waren minstens 4 stemmen voor uit de gemeenschap nodig."
        )
        assert "opkomst" not in explain(result) and "quorum" not in explain(result)


def test_the_summary_keeps_every_number_of_the_explanation_in_one_line():
    # given the board of the demo: 8 voted, 5 for, 2 against, 1 abstained; community 4 of 5 for
    result = tally(votes((4, 1, 0), (1, 1, 1)), electorate=8, rule=BOARD)
    # then the annual report's list of decisions says the numbers, each with what was needed
    with translation.override("nl"):
        assert summarise(result) == (
            "5 voor, 2 tegen, 1 onthouding (nodig: 4 voor). Gestemd: 8 van 8 (nodig: 5). "
            "Gemeenschap: 4 van 5 voor (nodig: 3)."
        )
    with translation.override("en"):
        assert summarise(result) == (
            "5 for, 2 against, 1 abstention (needed: 4 for). Voted: 8 of 8 (needed: 5). "
            "Community: 4 of 5 for (needed: 3)."
        )


def test_a_rejected_summary_says_why_and_a_rule_without_quorum_or_guarantee_says_so():
    rule = Rule(
        quorum=QUORUM_NONE, community_guarantee=False, abstentions_count_toward_quorum=False
    )
    result = tally(votes((1, 2, 1)), electorate=9, rule=rule)
    with translation.override("en"):
        assert summarise(result) == (
            "There were not enough votes in favour. 1 for, 2 against, 1 abstention (needed: 2 "
            "for). Voted for or against: 3 of 9 (no minimum)."
        )
    with translation.override("nl"):
        assert summarise(result).startswith("Er waren te weinig stemmen voor. 1 voor, 2 tegen")


@pytest.mark.parametrize(
    ("voor", "tegen", "needed"), [(0, 0, 1), (1, 0, 1), (1, 1, 2), (2, 1, 2), (5, 5, 6), (6, 5, 6)]
)
def test_majority_is_half_plus_one(voor, tegen, needed):
    assert majority_needed(voor + tegen) == needed


def test_a_tie_is_rejected_and_says_so():
    result = tally(votes((3, 3, 0)), electorate=6, rule=BOARD)
    assert result.outcome == REJECTED
    with translation.override("en"):
        assert explain(result).startswith(
            "Rejected. There were as many votes in favour as against. Then there is no majority."
        )
    with translation.override("nl"):
        assert explain(result).startswith(
            "Verworpen. Er waren evenveel stemmen voor als tegen. Dan is er geen meerderheid."
        )


def test_institutions_cannot_outvote_the_community():
    # 2 of 5 community votes for, all 3 institution votes for: 5 of 8 overall
    result = tally(votes((2, 3, 0), (3, 0, 0)), electorate=8, rule=BOARD)
    assert result.majority_met and result.quorum_met
    assert not result.community_met
    assert result.outcome == REJECTED
    with translation.override("en"):
        assert explain(result).startswith(
            "Rejected. There were not enough votes in favour from the community. "
        )
        assert "2 of the 5 votes from the community were in favour." in explain(result)
    with translation.override("nl"):
        assert "Uit de gemeenschap kwamen te weinig stemmen voor." in explain(result)


def test_without_the_guarantee_the_overall_majority_decides():
    rule = Rule(community_guarantee=False)
    result = tally(votes((2, 3, 0), (3, 0, 0)), electorate=8, rule=rule)
    assert result.outcome == ADOPTED
    with translation.override("en"):
        assert "community" not in explain(result)


def test_no_quorum_is_rejected_with_the_reason():
    result = tally(votes((3, 0, 0)), electorate=13, rule=BOARD)
    assert not result.quorum_met
    assert result.outcome == REJECTED
    with translation.override("en"):
        assert explain(result).startswith("Rejected. Not enough people voted. ")
        assert "3 of the 13 people who could vote have voted." in explain(result)
    with translation.override("nl"):
        assert explain(result).startswith("Verworpen. Er hebben te weinig mensen gestemd. ")


def test_abstentions_count_toward_the_quorum_unless_the_rule_says_not():
    cast = votes((3, 0, 4))
    assert tally(cast, electorate=13, rule=BOARD).quorum_met
    assert not tally(
        cast, electorate=13, rule=Rule(abstentions_count_toward_quorum=False)
    ).quorum_met


def test_abstentions_do_not_count_for_the_majority():
    result = tally(votes((2, 1, 5)), electorate=8, rule=BOARD)
    assert result.majority_needed == 2
    assert result.outcome == ADOPTED
    with translation.override("en"):
        assert "5 people voted neither for nor against." in explain(result)
    with translation.override("nl"):
        assert "5 mensen stemden niet voor en niet tegen." in explain(result)


@pytest.mark.parametrize(
    ("rule", "electorate", "needed"),
    [
        (Rule(quorum=QUORUM_NONE), 100, 0),
        (Rule(quorum=QUORUM_MAJORITY), 13, 7),
        (Rule(quorum=QUORUM_MAJORITY), 12, 7),
        (Rule(quorum=QUORUM_COUNT, quorum_value=25), 100, 25),
        (Rule(quorum=QUORUM_PERCENT, quorum_value=10), 95, 10),
        (Rule(quorum=QUORUM_PERCENT, quorum_value=10), 100, 10),
    ],
)
def test_quorum_kinds(rule, electorate, needed):
    assert quorum_needed(rule, electorate) == needed


def test_a_poll_without_quorum_explains_that():
    rule = Rule(quorum=QUORUM_NONE, community_guarantee=False)
    result = tally(votes((2, 1, 0)), electorate=5000, rule=rule)
    assert result.outcome == ADOPTED
    with translation.override("en"):
        assert explain(result) == (
            "Adopted. 2 of the 3 votes were in favour. At least 2 votes in favour were needed. "
            "3 of the 5000 people who could vote have voted. "
            "There was no minimum number of voters."
        )
    with translation.override("nl"):
        assert explain(result).endswith(
            "3 van de 5000 mensen die mochten stemmen, hebben gestemd. "
            "Er hoefde geen minimum aantal mensen te stemmen."
        )


def test_explanation_renders_in_the_active_language_from_stored_numbers():
    stored = tally(votes((5, 2, 0), (2, 2, 0)), electorate=13, rule=BOARD).as_dict()
    result = TallyResult.from_dict(stored)
    for language in ("nl", "en"):
        with translation.override(language):
            assert "7" in explain(result)


def test_when_abstentions_do_not_count_the_turnout_says_for_or_against():
    rule = Rule(abstentions_count_toward_quorum=False, community_guarantee=False)
    result = tally(votes((3, 0, 4)), electorate=13, rule=rule)
    with translation.override("en"):
        assert (
            "4 people voted neither for nor against. "
            "3 of the 13 people who could vote voted for or against. At least 7 people had to vote."
        ) in explain(result)
    with translation.override("nl"):
        assert "3 van de 13 mensen die mochten stemmen, stemden voor of tegen." in explain(result)


def test_one_of_each_reads_in_the_singular():
    rule = Rule(quorum=QUORUM_COUNT, quorum_value=1, community_guarantee=False)
    result = tally(votes((1, 0, 1)), electorate=1 + 1, rule=rule)
    with translation.override("nl"):
        assert explain(result) == (
            "Aangenomen. 1 van de 1 stemmen was voor. Er was minstens 1 stem voor nodig. "
            "1 persoon stemde niet voor en niet tegen. "
            "2 van de 2 mensen die mochten stemmen, hebben gestemd. "
            "Er moest minstens 1 persoon stemmen."
        )


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        tally(votes((3, 0, 0)), electorate=2, rule=BOARD)
    with pytest.raises(ValueError):
        tally([("misschien", True)], electorate=2, rule=BOARD)
    with pytest.raises(ValueError):
        Rule(majority_percent=40)


# --- Properties -----------------------------------------------------------------------------

rules = st.builds(
    Rule,
    majority_percent=st.integers(50, 99),
    abstentions_count_toward_quorum=st.booleans(),
    quorum=st.sampled_from(QUORUM_KINDS),
    quorum_value=st.integers(0, 100),
    community_guarantee=st.booleans(),
)
side_counts = st.builds(Counts, st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))


@st.composite
def ballots(draw):
    community = draw(side_counts)
    institution = draw(side_counts)
    spare = draw(st.integers(0, 40))
    electorate = community.total + institution.total + spare
    return community, institution, electorate


def _tally(community, institution, electorate, rule):
    return tally_counts(
        community=community, institution=institution, electorate=electorate, rule=rule
    )


@given(ballots(), rules)
def test_adopted_iff_quorum_majority_and_community_majority(counted, rule):
    community, institution, electorate = counted
    result = _tally(community, institution, electorate, rule)
    voor = community.voor + institution.voor
    tegen = community.tegen + institution.tegen
    taking_part = voor + tegen
    if rule.abstentions_count_toward_quorum:
        taking_part += community.onthouding + institution.onthouding
    quorum = {
        QUORUM_NONE: 0,
        QUORUM_MAJORITY: electorate // 2 + 1,
        QUORUM_COUNT: rule.quorum_value,
        QUORUM_PERCENT: -(-electorate * rule.quorum_value // 100),
    }[rule.quorum]
    # more than majority_percent % of the votes for or against, in integers
    majority = voor * 100 > rule.majority_percent * (voor + tegen)
    community_majority = community.voor > community.tegen
    expected = (
        taking_part >= quorum and majority and (community_majority or not rule.community_guarantee)
    )
    assert result.adopted == expected


@given(ballots(), rules)
def test_adopted_means_more_for_than_against(counted, rule):
    result = _tally(*counted, rule)
    if result.adopted:
        assert result.voor > result.tegen
    if result.voor == result.tegen:
        assert not result.adopted


@given(ballots(), rules, st.booleans())
def test_one_more_vote_for_never_turns_adopted_into_rejected(counted, rule, from_community):
    community, institution, electorate = counted
    # a member of the electorate who had not voted votes for
    assume(electorate > community.total + institution.total)
    before = _tally(community, institution, electorate, rule)
    one = Counts(1, 0, 0)
    if from_community:
        community = community + one
    else:
        institution = institution + one
    after = _tally(community, institution, electorate, rule)
    if before.adopted:
        assert after.adopted


@given(ballots(), rules, st.booleans())
def test_one_more_vote_against_never_turns_rejected_into_adopted_once_quorate(
    counted, rule, from_community
):
    community, institution, electorate = counted
    assume(electorate > community.total + institution.total)
    before = _tally(community, institution, electorate, rule)
    # A vote against can lift turnout over the quorum (the quorum paradox); see the next test.
    assume(before.quorum_met)
    one = Counts(0, 1, 0)
    if from_community:
        community = community + one
    else:
        institution = institution + one
    after = _tally(community, institution, electorate, rule)
    if not before.adopted:
        assert not after.adopted


def test_the_quorum_paradox_is_known_behaviour():
    # 4 for of 9 seats misses the quorum of 5; one member turning up to vote against makes it.
    before = tally(votes((4, 0, 0)), electorate=9, rule=BOARD)
    after = tally(votes((4, 1, 0)), electorate=9, rule=BOARD)
    assert (before.outcome, after.outcome) == (REJECTED, ADOPTED)


@given(ballots(), st.integers(0, 50))
def test_institutions_can_never_outvote_the_community(counted, extra_institution_for):
    community, institution, electorate = counted
    assume(community.voor <= community.tegen)
    institution = institution + Counts(extra_institution_for, 0, 0)
    result = _tally(community, institution, electorate + extra_institution_for, BOARD)
    assert not result.adopted


@given(ballots(), rules)
def test_votes_are_counted_whatever_their_order(counted, rule):
    community, institution, electorate = counted
    cast = votes(
        (community.voor, community.tegen, community.onthouding),
        (institution.voor, institution.tegen, institution.onthouding),
    )
    forward = tally(cast, electorate=electorate, rule=rule)
    backward = tally(list(reversed(cast)), electorate=electorate, rule=rule)
    assert forward == backward == _tally(community, institution, electorate, rule)


@given(ballots(), rules, st.integers(1, 10))
def test_abstentions_never_change_the_outcome_when_they_do_not_count(counted, rule, extra):
    community, institution, electorate = counted
    rule = Rule(**{**rule.__dict__, "abstentions_count_toward_quorum": False})
    # the same electorate, `extra` of its members who had not voted now abstain
    electorate += extra
    before = _tally(community, institution, electorate, rule)
    after = _tally(community + Counts(0, 0, extra), institution, electorate, rule)
    assert after.outcome == before.outcome


@given(ballots(), rules)
def test_stored_numbers_give_the_same_result_and_words(counted, rule):
    result = _tally(*counted, rule)
    again = TallyResult.from_dict(result.as_dict())
    assert again == result
    with translation.override("en"):
        assert explain(again) == explain(result)
        assert explain(result).startswith("Adopted" if result.adopted else "Rejected")


def test_the_paper_sentence_lists_the_ballots_not_counted():
    from governance.tally import explain_paper

    with translation.override("nl"):
        one = explain_paper(paper=1, blank=1, invalid=0)
        none = explain_paper(paper=2, blank=0, invalid=0)
    with translation.override("en"):
        english = explain_paper(paper=3, blank=0, invalid=2)
    assert one == (
        "1 stem kwam op papier binnen in een buurthuis. "
        "Niet meegeteld van de papieren stembiljetten: 1 blanco, 0 ongeldig."
    )
    assert none == "2 stemmen kwamen op papier binnen in een buurthuis."
    assert english == (
        "3 votes came by paper at a Community Home. Paper ballots not counted: 0 blank, 2 invalid."
    )
