"""Who votes in a round: fixed when the round is frozen (insider review F7 and F8).

Freezing stores on the round the ids of its area and of every area inside it at that moment,
and the verification the `budget_vote` requirement asked at that moment. From then on, who may
vote (online, on paper, at the check-in table) is asked of what the round stored: moving an area
in the admin, or changing the requirements table, counts from the next round that freezes. Before
freezing (a round collecting plans) the area tree and the table of now decide.

On PostgreSQL the stored values are frozen fields (`FROZEN_ROUND_FIELDS`), and a ballot's
trigger asks the stored areas and methods too (`round_rules.BALLOT_BY_THE_ELECTORATE`).
"""

from django.db.models import QuerySet

from accounts import selectors as accounts_selectors
from accounts.models import MemberVerification, VerificationRequirement
from accounts.selectors import verifications_enough_by
from governance.selectors import area_with_descendants

from .models import Round

BUDGET_VOTE = VerificationRequirement.Action.BUDGET_VOTE


def freeze(round: Round) -> None:
    """Store on `round` (saved by the caller, with the rest of freezing) its areas and the
    verification `budget_vote` asks, as they are now."""
    rule = accounts_selectors.requirement(BUDGET_VOTE)
    round.electorate_area_ids = sorted(area_with_descendants([round.area]))
    round.vote_requirement = {
        "account_is_enough": rule.account_is_enough,
        "methods": sorted(rule.methods),
        "valid_days": rule.valid_days,
    }


def area_ids(round: Round) -> set[int]:
    """The ids of the areas whose verified residents take part: as frozen, or (not frozen yet)
    the round's area and the areas inside it now."""
    if round.electorate_area_ids is not None:
        return set(round.electorate_area_ids)
    return area_with_descendants([round.area])


def requirement(round: Round) -> VerificationRequirement:
    """The verification voting in `round` asks: as frozen (an unsaved requirement with the
    stored values), or (not frozen yet) the requirements table's now."""
    frozen = round.vote_requirement
    if frozen is None:
        return accounts_selectors.requirement(BUDGET_VOTE)
    methods = set(frozen["methods"])
    Method = MemberVerification.Method
    return VerificationRequirement(
        action=BUDGET_VOTE,
        account_is_enough=bool(frozen["account_is_enough"]),
        in_person=Method.IN_PERSON in methods,
        code=Method.CODE in methods,
        digid=Method.DIGID in methods,
        valid_days=frozen["valid_days"],
    )


def voters(round: Round, at=None) -> QuerySet[MemberVerification]:
    """The verifications in force at `at` (now) of the people who may vote in `round`: in one of
    its areas, enough by the verification it asks (one per person: a unique constraint)."""
    return verifications_enough_by(requirement(round), at).filter(area_id__in=area_ids(round))
