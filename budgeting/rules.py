"""Who may do what in a budget round. Windows are predicates, tested with frozen time.

Submitting a plan and voting need the verification the requirements table asks for the action
(`accounts.rules.may_do`) and a verification in force for the round's area (or an area inside it).
Civil servants run the round and review plans; they never vote on behalf of anyone.
"""

from dataclasses import dataclass

import rules
from django.utils import timezone

from accounts.models import MemberVerification
from accounts.rules import is_civil_servant, may_do
from governance.models import Location
from governance.rules import is_on_check_in_shift_here
from governance.selectors import area_with_descendants

from .models import Round

SUBMIT_PLAN = "submit_plan"
BUDGET_VOTE = "budget_vote"


@rules.predicate
def lives_in_round_area(user, round: Round | None) -> bool:
    """A verification in force for the round's area or an area inside it."""
    if round is None or not user.is_authenticated:
        return False
    return MemberVerification.objects.filter(
        user=user, revoked_at__isnull=True, area_id__in=area_with_descendants([round.area])
    ).exists()


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


may_submit_plan = may_do(SUBMIT_PLAN) & lives_in_round_area & collects_plans
may_vote_some_time = may_do(BUDGET_VOTE) & lives_in_round_area
may_vote = may_vote_some_time & voting_is_open

rules.add_perm("budgeting.see_round", round_is_public | is_civil_servant)
rules.add_perm("budgeting.manage_round", is_civil_servant)
rules.add_perm("budgeting.review_plan", is_civil_servant)
rules.add_perm("budgeting.submit_plan", may_submit_plan)
rules.add_perm("budgeting.vote", may_vote)
# Asked of the resident at a Community Home's table: verified and living in the round's area.
rules.add_perm("budgeting.vote_some_time", may_vote_some_time)
# Community Homes: an officer in a check-in shift at the location (the location in the URL),
# while the round is voting, enters a paper ballot or an assisted vote; the paper form is
# printed by civil servants or officers on a check-in shift there.
rules.add_perm("budgeting.enter_paper_ballot", is_on_check_in_shift_here & station_round_is_voting)
rules.add_perm(
    "budgeting.print_paper_ballot",
    (is_civil_servant | is_on_check_in_shift_here) & station_round_has_ballot,
)
