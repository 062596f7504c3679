"""The discussion of a proposal: comments by members, advice by advisory seats."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import selectors as account_selectors
from accounts.models import Role, VerificationRequirement

from .. import notify
from ..models import (
    Comment,
    Proposal,
)
from .base import _moment


def _discussion_is_open(proposal: Proposal) -> bool:
    return proposal.status == Proposal.Status.DISCUSSION or proposal.voting_is_open()


@transaction.atomic
def post_comment(*, proposal: Proposal, text: str, actor, at: datetime | None = None) -> Comment:
    """A verified community member comments on a proposal under discussion or in the vote.

    `at` (the demo only) records a comment made earlier; the views never pass it.
    """
    if not account_selectors.may_do(actor, VerificationRequirement.Action.COMMENT):
        raise ValidationError(_("Only verified community members can comment."), code="forbidden")
    return _post(proposal=proposal, text=text, kind=Comment.Kind.COMMENT, actor=actor, at=at)


@transaction.atomic
def post_advice(*, proposal: Proposal, text: str, actor, at: datetime | None = None) -> Comment:
    """Formal advice of the advisory committee, or the youth council's advice."""
    if actor.has_role(Role.ADVISORY_MEMBER):
        kind = Comment.Kind.ADVICE
    elif actor.has_role(Role.YOUTH_COUNCIL):
        kind = Comment.Kind.YOUTH_ADVICE
    else:
        raise ValidationError(
            _("Only the advisory committee and the youth council give advice."), code="forbidden"
        )
    return _post(proposal=proposal, text=text, kind=kind, actor=actor, at=at)


def _post(
    *, proposal: Proposal, text: str, kind: str, actor, at: datetime | None = None
) -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Write your contribution first.")})
    proposal = Proposal.objects.get(pk=proposal.pk)
    if not _discussion_is_open(proposal):
        raise ValidationError(_("The discussion of this proposal is closed."), code="closed")
    comment = Comment(
        proposal=proposal, author=actor, kind=kind, text=text.strip(), created_at=_moment(at)
    )
    comment._history_user = actor
    comment.save()
    notify.contribution_posted(proposal, comment)
    return comment
