"""Every write in governance: proposals through their life cycle, discussion, votes, decisions.

Each transition takes the `actor` and writes its audit row (django-simple-history) in the same
transaction. One module per stage: `proposals` (draft to open voting), `discussion`, `voting`,
`counting` (closing, the trustees' key shares, the tally), `decisions` (carrying out); `base`
holds what they share. Import from here: `from governance import services; services.cast_vote(...)`.
"""

from .counting import (
    _start_tally,
    close_due_proposals,
    close_if_due,
    close_voting,
    enter_share,
    pick_up_share,
    remind_closing_votes,
    tally_poll,
)
from .decisions import execute_decision
from .discussion import post_advice, post_comment
from .packages import book_package, create_package_proposal
from .proposals import (
    add_attachment,
    check_composition,
    create_proposal,
    open_voting,
    save_proposal,
    start_discussion,
    update_proposal,
    withdraw_proposal,
)
from .voting import (
    _cast_sealed_ballot,
    _check_window,
    _share_lock,
    cast_vote,
    closed_by_the_database,
    tell_where_the_database_does_not,
    window_refusal,
)

# The helpers above that start with "_" are shared with the Community Home (governance.officing*)
# and the bodies module; they are not for views.

__all__ = [
    "_cast_sealed_ballot",
    "tell_where_the_database_does_not",
    "_check_window",
    "_share_lock",
    "_start_tally",
    "add_attachment",
    "cast_vote",
    "check_composition",
    "closed_by_the_database",
    "close_due_proposals",
    "close_if_due",
    "close_voting",
    "book_package",
    "create_package_proposal",
    "create_proposal",
    "enter_share",
    "execute_decision",
    "open_voting",
    "pick_up_share",
    "post_advice",
    "post_comment",
    "remind_closing_votes",
    "save_proposal",
    "start_discussion",
    "tally_poll",
    "update_proposal",
    "window_refusal",
    "withdraw_proposal",
]
