"""The tally: a pure function of the votes, the electorate and the decision rule.

No ORM here. The services count the stored votes (or ballots) and call `tally_counts`; the result
is stored as numbers (`TallyResult.as_dict`) and explained in words at display time (`explain`),
so a decision reads in the visitor's language.

The rule (issue 5):
- majority: more votes for than `majority_percent` % of the votes for or against; with the default
  50 that is `voor >= floor((voor + tegen) / 2) + 1`, so a tie is rejected;
- quorum: none, more than half of the electorate, a minimum number or a minimum percentage of the
  electorate taking part (abstentions take part unless the rule says otherwise);
- community guarantee: the community side (community and youth seats) must also vote for with
  50%+1 of its votes for or against, so institutions can never outvote the community.

PostgreSQL does the same arithmetic on every new decision (`governance_decision_follows_the_votes`,
migration 0020), so no SQL writes an outcome the votes do not give: change the rule there too,
in a new migration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FOR = "for"
AGAINST = "against"
ABSTAIN = "abstain"
CHOICES = (FOR, AGAINST, ABSTAIN)

QUORUM_NONE = "none"
QUORUM_MAJORITY = "majority"
QUORUM_COUNT = "count"
QUORUM_PERCENT = "percent"
QUORUM_KINDS = (QUORUM_NONE, QUORUM_MAJORITY, QUORUM_COUNT, QUORUM_PERCENT)

ADOPTED = "adopted"
REJECTED = "rejected"


@dataclass(frozen=True)
class Rule:
    """A decision rule as plain values (see `governance.models.DecisionRule.as_rule`)."""

    majority_percent: int = 50
    abstentions_count_toward_quorum: bool = True
    quorum: str = QUORUM_MAJORITY
    quorum_value: int = 0
    community_guarantee: bool = True

    def __post_init__(self) -> None:
        if not 50 <= self.majority_percent < 100:
            raise ValueError("majority_percent must be from 50 up to 99")
        if self.quorum not in QUORUM_KINDS:
            raise ValueError(f"unknown quorum kind {self.quorum!r}")
        if self.quorum_value < 0:
            raise ValueError("quorum_value must not be negative")


@dataclass(frozen=True)
class Counts:
    """Votes for, against and abstaining of one side."""

    voor: int = 0
    tegen: int = 0
    onthouding: int = 0

    @classmethod
    def of(cls, choices: Iterable[str]) -> Counts:
        counted = dict.fromkeys(CHOICES, 0)
        for choice in choices:
            if choice not in counted:
                raise ValueError(f"unknown choice {choice!r}")
            counted[choice] += 1
        return cls(counted[FOR], counted[AGAINST], counted[ABSTAIN])

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.voor + other.voor,
            self.tegen + other.tegen,
            self.onthouding + other.onthouding,
        )

    @property
    def for_or_against(self) -> int:
        return self.voor + self.tegen

    @property
    def total(self) -> int:
        return self.voor + self.tegen + self.onthouding


def majority_needed(for_or_against: int, percent: int = 50) -> int:
    """The smallest number of votes for that is more than `percent` % of the votes for or against."""
    return for_or_against * percent // 100 + 1


def quorum_needed(rule: Rule, electorate: int) -> int:
    """How many must take part; 0 when the rule has no quorum."""
    if rule.quorum == QUORUM_MAJORITY:
        return electorate // 2 + 1
    if rule.quorum == QUORUM_COUNT:
        return rule.quorum_value
    if rule.quorum == QUORUM_PERCENT:
        return -(-electorate * rule.quorum_value // 100)  # ceiling without floats
    return 0


@dataclass(frozen=True)
class TallyResult:
    """The numbers of a tally; `explain` turns them into words."""

    outcome: str
    voor: int
    tegen: int
    onthouding: int
    electorate: int
    turnout: int
    quorum: str
    quorum_needed: int
    majority_percent: int
    majority_needed: int
    community_guarantee: bool
    community_voor: int
    community_tegen: int
    community_onthouding: int
    community_needed: int
    quorum_met: bool
    majority_met: bool
    community_met: bool

    @property
    def adopted(self) -> bool:
        return self.outcome == ADOPTED

    @property
    def is_tie(self) -> bool:
        return self.voor == self.tegen

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> TallyResult:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


def tally_counts(
    *, community: Counts, institution: Counts, electorate: int, rule: Rule
) -> TallyResult:
    """The outcome for these counts per side. Youth seats and poll ballots are community."""
    every = community + institution
    if electorate < every.total:
        raise ValueError("more votes than voters in the electorate")
    turnout = every.total if rule.abstentions_count_toward_quorum else every.for_or_against
    needed_quorum = quorum_needed(rule, electorate)
    needed_majority = majority_needed(every.for_or_against, rule.majority_percent)
    needed_community = majority_needed(community.for_or_against)
    quorum_met = turnout >= needed_quorum
    majority_met = every.voor >= needed_majority
    community_met = not rule.community_guarantee or community.voor >= needed_community
    adopted = quorum_met and majority_met and community_met
    return TallyResult(
        outcome=ADOPTED if adopted else REJECTED,
        voor=every.voor,
        tegen=every.tegen,
        onthouding=every.onthouding,
        electorate=electorate,
        turnout=turnout,
        quorum=rule.quorum,
        quorum_needed=needed_quorum,
        majority_percent=rule.majority_percent,
        majority_needed=needed_majority,
        community_guarantee=rule.community_guarantee,
        community_voor=community.voor,
        community_tegen=community.tegen,
        community_onthouding=community.onthouding,
        community_needed=needed_community,
        quorum_met=quorum_met,
        majority_met=majority_met,
        community_met=community_met,
    )


def tally(votes: Iterable[tuple[str, bool]], *, electorate: int, rule: Rule) -> TallyResult:
    """The outcome for `votes`, each a pair (choice, is_community_side)."""
    community, institution = [], []
    for choice, is_community in votes:
        (community if is_community else institution).append(choice)
    return tally_counts(
        community=Counts.of(community),
        institution=Counts.of(institution),
        electorate=electorate,
        rule=rule,
    )


def _reasons(result: TallyResult) -> list[str]:
    reasons = []
    if not result.quorum_met:
        reasons.append(_("Not enough people voted."))
    if not result.majority_met:
        if result.voor + result.tegen > 0 and result.is_tie:
            reasons.append(
                _("There were as many votes in favour as against. Then there is no majority.")
            )
        else:
            reasons.append(_("There were not enough votes in favour."))
    if not result.community_met:
        reasons.append(_("There were not enough votes in favour from the community."))
    return reasons


def explain(result: TallyResult) -> str:
    """The outcome in words, in the active language: short sentences (language level B1).

    "Adopted. 7 of the 11 votes were in favour. At least 6 votes in favour were needed. 11 of
    the 13 people who could vote have voted. At least 7 people had to vote. 5 of the 7 votes
    from the community were in favour. At least 4 votes in favour from the community were
    needed."
    """
    cast = result.voor + result.tegen
    sentences = [_("Adopted.") if result.adopted else _("Rejected.")]
    if not result.adopted:
        sentences += _reasons(result)
    sentences.append(
        ngettext(
            "%(for)d of the %(cast)d votes was in favour.",
            "%(for)d of the %(cast)d votes were in favour.",
            result.voor,
        )
        % {"for": result.voor, "cast": cast}
    )
    sentences.append(
        ngettext(
            "At least %(needed)d vote in favour was needed.",
            "At least %(needed)d votes in favour were needed.",
            result.majority_needed,
        )
        % {"needed": result.majority_needed}
    )
    if result.onthouding:
        sentences.append(
            ngettext(
                "%(count)d person voted neither for nor against.",
                "%(count)d people voted neither for nor against.",
                result.onthouding,
            )
            % {"count": result.onthouding}
        )
    sentences += _turnout(result, cast)
    if result.community_guarantee:
        sentences += _community(result)
    return " ".join(sentences)


def summarise(result: TallyResult) -> str:
    """The numbers of `explain` in one or two lines, for a list of decisions that says once
    how a vote counts (the annual report): why it was rejected, then the votes, who voted and
    the community's votes, each with what was needed in brackets.

    "5 for, 2 against, 1 abstention (needed: 4 for). Voted: 8 of 8 (needed: 5). Community: 4
    of 5 for (needed: 3)."
    """
    sentences = [] if result.adopted else _reasons(result)
    numbers = {
        "for": result.voor,
        "against": result.tegen,
        "count": result.onthouding,
        "needed": result.majority_needed,
    }
    if result.onthouding:
        sentences.append(
            ngettext(
                "%(for)d for, %(against)d against, %(count)d abstention (needed: %(needed)d for).",
                "%(for)d for, %(against)d against, %(count)d abstentions (needed: %(needed)d for).",
                result.onthouding,
            )
            % numbers
        )
    else:
        sentences.append(_("%(for)d for, %(against)d against (needed: %(needed)d for).") % numbers)
    turnout = {"turnout": result.turnout, "electorate": result.electorate}
    if result.onthouding and result.turnout == result.voor + result.tegen:
        # the rule leaves abstentions out of the turnout, as in `_turnout`
        voted = _("Voted for or against: %(turnout)d of %(electorate)d") % turnout
    else:
        voted = _("Voted: %(turnout)d of %(electorate)d") % turnout
    if result.quorum == QUORUM_NONE:
        sentences.append(_("%(voted)s (no minimum).") % {"voted": voted})
    else:
        sentences.append(
            _("%(voted)s (needed: %(quorum)d).") % {"voted": voted, "quorum": result.quorum_needed}
        )
    if result.community_guarantee:
        sentences.append(
            _("Community: %(for)d of %(cast)d for (needed: %(needed)d).")
            % {
                "for": result.community_voor,
                "cast": result.community_voor + result.community_tegen,
                "needed": result.community_needed,
            }
        )
    return " ".join(sentences)


def _turnout(result: TallyResult, cast: int) -> list[str]:
    """How many of those who could vote voted, and how many had to (part of `explain`)."""
    sentences = []
    numbers = {"turnout": result.turnout, "electorate": result.electorate}
    if result.onthouding and result.turnout == cast:
        # the rule leaves abstentions out of the turnout: say so, or the numbers do not add up
        sentences.append(
            ngettext(
                "%(turnout)d of the %(electorate)d people who could vote voted for or against.",
                "%(turnout)d of the %(electorate)d people who could vote voted for or against.",
                result.turnout,
            )
            % numbers
        )
    else:
        sentences.append(
            ngettext(
                "%(turnout)d of the %(electorate)d people who could vote has voted.",
                "%(turnout)d of the %(electorate)d people who could vote have voted.",
                result.turnout,
            )
            % numbers
        )
    if result.quorum == QUORUM_NONE:
        sentences.append(_("There was no minimum number of voters."))
    else:
        sentences.append(
            ngettext(
                "At least %(quorum)d person had to vote.",
                "At least %(quorum)d people had to vote.",
                result.quorum_needed,
            )
            % {"quorum": result.quorum_needed}
        )
    return sentences


def _community(result: TallyResult) -> list[str]:
    """The community side's votes and what it needed (part of `explain`)."""
    sentences = []
    sentences.append(
        ngettext(
            "%(for)d of the %(cast)d votes from the community was in favour.",
            "%(for)d of the %(cast)d votes from the community were in favour.",
            result.community_voor,
        )
        % {
            "for": result.community_voor,
            "cast": result.community_voor + result.community_tegen,
        }
    )
    sentences.append(
        ngettext(
            "At least %(needed)d vote in favour from the community was needed.",
            "At least %(needed)d votes in favour from the community were needed.",
            result.community_needed,
        )
        % {"needed": result.community_needed}
    )
    return sentences


def explain_paper(*, paper: int, blank: int, invalid: int) -> str:
    """How many of the counted votes came by paper, and the paper ballots not counted."""
    text = ngettext(
        "%(paper)d vote came by paper at a Community Home.",
        "%(paper)d votes came by paper at a Community Home.",
        paper,
    ) % {"paper": paper}
    if blank or invalid:
        # A list, not a sentence: "1 blank and 0 invalid ballots were" has no right plural.
        text += " " + _("Paper ballots not counted: %(blank)d blank, %(invalid)d invalid.") % {
            "blank": blank,
            "invalid": invalid,
        }
    return text
