"""Life-cycle steps of a proposal: discussion, voting opens and closes, withdrawn, carried out."""

from django.utils.translation import gettext as _

from sroi.formatting import format_money

from .. import services
from ..forms import OpenVotingForm, WithdrawForm
from .base import TransitionView


class StartDiscussionView(TransitionView):
    permission_required = "governance.start_discussion"

    def perform(self, form) -> None:
        services.start_discussion(proposal=self.proposal, actor=self.request.user)
        self.success = _("The proposal is published for discussion.")


class OpenVotingView(TransitionView):
    permission_required = "governance.open_voting"
    form_class = OpenVotingForm

    @property
    def title(self):
        return _("Open voting")

    def perform(self, form) -> None:
        proposal = services.open_voting(
            proposal=self.proposal,
            closes_at=form.cleaned_data["closes_at"],
            actor=self.request.user,
        )
        self.success = _("Voting is open.")
        if proposal.is_poll:
            self.success += " " + _(
                "The votes are locked. Each trustee can now see their key once on this page."
            )


class WithdrawView(TransitionView):
    permission_required = "governance.withdraw_proposal"
    form_class = WithdrawForm

    @property
    def title(self):
        return _("Withdraw the proposal")

    def perform(self, form) -> None:
        services.withdraw_proposal(
            proposal=self.proposal, reason=form.cleaned_data["reason"], actor=self.request.user
        )
        self.success = _("The proposal is withdrawn.")


class ExecuteView(TransitionView):
    permission_required = "governance.execute_decision"

    def perform(self, form) -> None:
        decision = services.execute_decision(
            decision=self.proposal.decision, actor=self.request.user
        )
        if decision.allocation is None:
            self.success = _("The decision is marked as carried out.")
        else:
            self.success = _(
                "The decision is carried out: %(amount)s of %(fund)s is allocated to "
                "%(initiative)s under %(reference)s."
            ) % {
                "amount": format_money(decision.allocation.amount),
                "fund": decision.allocation.fund,
                "initiative": decision.allocation.initiative,
                "reference": decision.reference,
            }


class CloseVotingView(TransitionView):
    """A civil servant closes a vote whose window has ended (beat or a page may be first)."""

    permission_required = "governance.close_voting"
    closes_due = False  # the civil servant's own action, recorded with their name

    def perform(self, form) -> None:
        decision = services.close_voting(proposal=self.proposal, actor=self.request.user)
        self.success = (
            _("Voting is closed. The result is published.")
            if decision is not None
            else _("Voting is closed. The trustees can now unlock the ballots.")
        )
