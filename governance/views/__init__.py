"""The governance pages (views never write: they call `governance.services`).

One module per part: `proposals`, `transitions` (life-cycle steps), `voting`; `base` holds what
they share. The URLs name them through this package: `views.BallotView`.
"""

# governance.officing.views imports this name
from common.views import errors_to_form as _errors_to_form

from .base import PAGE_SIZE, ProposalMixin, TransitionView, rules_is_due
from .proposals import (
    AdviceView,
    AttachmentView,
    BodyListView,
    CommentView,
    OpenVotesView,
    ProposalDetailView,
    ProposalFormView,
    ProposalListView,
    decision_view,
)
from .transitions import (
    CloseVotingView,
    ExecuteView,
    OpenVotingView,
    StartDiscussionView,
    WithdrawView,
)
from .voting import BallotView, BulletinView, EnterShareView, PickUpShareView

__all__ = [
    "AdviceView",
    "AttachmentView",
    "BallotView",
    "BodyListView",
    "BulletinView",
    "CloseVotingView",
    "CommentView",
    "EnterShareView",
    "ExecuteView",
    "OpenVotesView",
    "OpenVotingView",
    "PAGE_SIZE",
    "PickUpShareView",
    "ProposalDetailView",
    "ProposalFormView",
    "ProposalListView",
    "ProposalMixin",
    "StartDiscussionView",
    "TransitionView",
    "WithdrawView",
    "_errors_to_form",
    "decision_view",
    "rules_is_due",
]
