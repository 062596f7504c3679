"""Every write of a budget round: one function per use case, keyword-only, with the actor.

Each service checks the same django-rules permission the view asks, runs in one transaction and
records the actor in the audit trail. Lock order: the round row first (select_for_update), then
its plans; freezing reads the fund's available money through sroi's ledger selectors.

One module per stage: `rounds`, `plans`, `ballots`, `adoption`; `base` holds what they share.
Import the package: `from budgeting import services; services.cast_ballot(...)`.
"""

from .adoption import (
    compute_outcome,
    round_election,
    settle_round,
    submit_to_board,
)
from .ballots import (
    already_voted,
    cast_ballot,
    enter_paper_ballot,
)
from .base import (
    NOT_ALLOWED,
    Status,
    budget_now,
)
from .plans import (
    review_plan,
    submit_plan,
)
from .rounds import (
    create_round,
    freeze_round,
    open_ideas,
    open_voting,
    start_review,
    update_round,
)

__all__ = [
    "NOT_ALLOWED",
    "Status",
    "already_voted",
    "budget_now",
    "cast_ballot",
    "compute_outcome",
    "create_round",
    "enter_paper_ballot",
    "freeze_round",
    "open_ideas",
    "open_voting",
    "review_plan",
    "round_election",
    "settle_round",
    "start_review",
    "submit_plan",
    "submit_to_board",
    "update_round",
]
