"""Who may do what in a budget round. Windows are predicates, tested with frozen time.

Submitting a plan needs the verification the requirements table asks for the action
(`accounts.rules.may_do`) and a verification in force for the round's area (or an area inside it).
Voting needs the same, as the round froze them: its areas and the verification `budget_vote`
asked when it was frozen (`budgeting.electorate`; insider review F7, F8).
Civil servants run the round and review plans; they never vote on behalf of anyone.
"""

from dataclasses import dataclass

import rules
from django.utils import timezone

from accounts.models import MemberVerification
from accounts.rules import is_civil_servant, is_staff_account, may_do
from governance.models import Location
from governance.rules import is_on_check_in_shift_here, location_is_open

from . import electorate
from .models import Round

SUBMIT_PLAN = "submit_plan"
BUDGET_VOTE = "budget_vote"


@rules.predicate
def lives_in_round_area(user, round: Round | None) -> bool:
    """A verification in force for the round's area or an area inside it (once the round is
    frozen: one of the areas it froze)."""
    if round is None or not user.is_authenticated:
        return False
    return MemberVerification.objects.filter(
        user=user, revoked_at__isnull=True, area_id__in=electorate.area_ids(round)
    ).exists()


@rules.predicate
def in_round_electorate(user, round: Round | None) -> bool:
    """May vote in the round, any time: a resident's own account (never a staff account, as
    `may_do`) with a verification in force in one of the round's areas that is enough by the
    verification the round asks; both as frozen with the round (one query)."""
    if round is None or not user.is_authenticated or not user.is_active:
        return False
    if is_staff_account(user):
        return False
    return electorate.voters(round).filter(user=user).exists()


@rules.predicate
def collects_plans(user, round: Round | None) -> bool:
    return round is not None and round.status == Round.Status.IDEAS


@rules.predicate
def voting_is_open(user, round: Round | None) -> bool:
    """The round is voting and now is inside its window."""
    if round is None or round.status != Round.Status.VOTING:
        return False
    now = timezone.now()
    return round.voting_opens_at <= now < round.voting_closes_at


@rules.predicate
def round_is_public(user, round: Round | None) -> bool:
    return round is not None and round.status != Round.Status.DRAFT


@rules.predicate
def round_is_draft(user, round: Round | None) -> bool:
    return round is not None and round.status == Round.Status.DRAFT


@rules.predicate
def plans_are_in_review(user, round: Round | None) -> bool:
    return round is not None and round.status == Round.Status.REVIEW


@rules.predicate
def takes_reviews(user, round: Round | None) -> bool:
    """Plans are reviewed while the round collects or reviews them (not frozen yet)."""
    return round is not None and round.status in (Round.Status.IDEAS, Round.Status.REVIEW)


@rules.predicate
def ballot_is_fixed(user, round: Round | None) -> bool:
    """Frozen, voting not opened yet."""
    return round is not None and round.status == Round.Status.FROZEN


@rules.predicate
def voting_has_closed(user, round: Round | None) -> bool:
    """The round is voting and its window has closed: the outcome can be computed."""
    return (
        round is not None
        and round.status == Round.Status.VOTING
        and timezone.now() >= round.voting_closes_at
    )


@rules.predicate
def outcome_is_computed(user, round: Round | None) -> bool:
    return round is not None and round.status == Round.Status.COMPUTED


@rules.predicate
def awaits_the_board(user, round: Round | None) -> bool:
    """The package is with the community board."""
    return (
        round is not None
        and round.status == Round.Status.ADOPTION
        and round.proposal_id is not None
    )


@dataclass(frozen=True)
class RoundStation:
    """A budget round at a Community Home: the object the officers' permissions are asked
    about (`location` as in `governance.officing.Station`)."""

    round: Round
    location: Location


@rules.predicate
def station_round_is_voting(user, station: RoundStation | None) -> bool:
    return station is not None and voting_is_open(user, station.round)


@rules.predicate
def station_round_has_ballot(user, station: RoundStation | None) -> bool:
    """The round's ballot is fixed (frozen) and not closed yet: a paper form can be printed."""
    return station is not None and station.round.status in (
        Round.Status.FROZEN,
        Round.Status.VOTING,
    )


# The round's state first: it is on the round already, so a round that does not collect plans
# or is not voting asks no query about the person (the round's page asks both permissions).
may_submit_plan = collects_plans & may_do(SUBMIT_PLAN) & lives_in_round_area
may_vote_some_time = in_round_electorate
may_vote = voting_is_open & may_vote_some_time

rules.add_perm("budgeting.see_round", round_is_public | is_civil_servant)
# Who runs rounds: the "who" part of every step below (and creating a round, which has no state).
rules.add_perm("budgeting.manage_round", is_civil_servant)
# The steps of a round's life, each in the one state it starts from (asked of the round by the
# step's page and by its service; the state first, so a round in another state asks no query).
rules.add_perm("budgeting.open_ideas", round_is_draft & is_civil_servant)
rules.add_perm("budgeting.start_review", collects_plans & is_civil_servant)
rules.add_perm("budgeting.freeze_round", plans_are_in_review & is_civil_servant)
rules.add_perm("budgeting.open_voting", ballot_is_fixed & is_civil_servant)
rules.add_perm("budgeting.compute_outcome", voting_has_closed & is_civil_servant)
rules.add_perm("budgeting.submit_to_board", outcome_is_computed & is_civil_servant)
rules.add_perm("budgeting.settle_round", awaits_the_board & is_civil_servant)
rules.add_perm("budgeting.review_plan", takes_reviews & is_civil_servant)
rules.add_perm("budgeting.submit_plan", may_submit_plan)
rules.add_perm("budgeting.vote", may_vote)
# Asked of the resident at a Community Home's table: verified and living in the round's area.
rules.add_perm("budgeting.vote_some_time", may_vote_some_time)
# Community Homes: an officer in a check-in shift at the location (the location in the URL),
# while the round is voting, enters a paper ballot or an assisted vote; the paper form is
# printed by civil servants or officers on a check-in shift there. Neither at a closed location.
rules.add_perm(
    "budgeting.enter_paper_ballot",
    is_on_check_in_shift_here & location_is_open & station_round_is_voting,
)
rules.add_perm(
    "budgeting.print_paper_ballot",
    (is_civil_servant | is_on_check_in_shift_here) & location_is_open & station_round_has_ballot,
)
