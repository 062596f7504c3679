"""The discussion of a proposal: comments by members, advice by advisory seats."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from common.services import service

from .. import notify
from ..models import (
    Comment,
    Proposal,
)

NO_COMMENT = gettext_lazy("You cannot comment with this account.")
NO_ADVICE = gettext_lazy("Only the advisory committee and the youth council give advice.")


def _fresh(proposal: Proposal) -> Proposal:
    """The proposal as it is now: the object the rule is asked of (`@service(load=...)`)."""
    return Proposal.objects.get(pk=proposal.pk)


def _discussion_open(proposal: Proposal) -> None:
    """The state part of the rules: under discussion, or in the voting window."""
    if not (proposal.status == Proposal.Status.DISCUSSION or proposal.voting_is_open()):
        raise ValidationError(_("The discussion of this proposal is closed."), code="closed")


@service(
    "governance.comment_proposal",
    obj="proposal",
    load=_fresh,
    state=_discussion_open,
    who="governance.write_comment",
    message=NO_COMMENT,
)
def post_comment(*, proposal: Proposal, text: str, actor: User | None) -> Comment:
    """Someone the requirement of "comment" allows comments on a proposal under discussion or in
    the vote (by default any resident's account; never a staff account)."""
    return _post(proposal=proposal, text=text, kind=Comment.Kind.COMMENT, actor=actor)


@service(
    "governance.advise_proposal",
    obj="proposal",
    load=_fresh,
    state=_discussion_open,
    who="governance.give_advice",
    message=NO_ADVICE,
)
def post_advice(*, proposal: Proposal, text: str, actor: User | None) -> Comment:
    """Formal advice of the advisory committee, or the youth council's advice."""
    if actor.has_role(Role.ADVISORY_MEMBER):
        kind = Comment.Kind.ADVICE
    elif actor.has_role(Role.YOUTH_COUNCIL):
        kind = Comment.Kind.YOUTH_ADVICE
    else:  # the rule (`governance.give_advice`) lets nobody else in
        raise ValidationError(NO_ADVICE, code="forbidden")
    return _post(proposal=proposal, text=text, kind=kind, actor=actor)


def _post(*, proposal: Proposal, text: str, kind: str, actor) -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Write your contribution first.")})
    comment = Comment(
        proposal=proposal, author=actor, kind=kind, text=text.strip(), created_at=timezone.now()
    )
    comment._history_user = actor
    comment.save()
    notify.contribution_posted(proposal, comment)
    return comment
