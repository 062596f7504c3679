"""What the governance pages share: the proposal from the URL and a life-cycle step."""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from common.views import ServiceFormView
from sroi.formatting import format_money

from .. import rules as governance_rules
from .. import selectors, services
from ..models import Proposal

PAGE_SIZE = 25


def _warn_about_shortfall(request, proposal: Proposal) -> None:
    shortfall = selectors.allocation_shortfall(proposal)
    if shortfall is not None:
        messages.warning(request, shortfall_text(proposal, shortfall))


def shortfall_text(proposal: Proposal, shortfall) -> str:
    """Why the fund cannot pay this allocation now (`selectors.allocation_shortfall`)."""
    values = {
        "fund": proposal.fund,
        "available": format_money(shortfall.available),
        "amount": format_money(shortfall.amount),
        "promised": format_money(shortfall.promised),
        "free": format_money(shortfall.free),
        "rounds": shortfall.rounds,
    }
    if not shortfall.promised:
        return (
            _(
                "%(fund)s has %(available)s available now, less than the %(amount)s of this "
                "proposal. It can only be carried out when the fund has enough money."
            )
            % values
        )
    return (
        _(
            "%(fund)s has %(available)s available now, but %(promised)s of it is promised to "
            "residents in a budget round (%(rounds)s). Only %(free)s is free, less than the "
            "%(amount)s of this proposal. It can only be carried out when the fund has enough free "
            "money."
        )
        % values
    )


class ProposalMixin:
    """Loads the proposal named in the URL before the permission check (rules ask about it)."""

    closes_due = True
    # What the view shows of the proposal: its whole page by default.
    load_proposal = staticmethod(selectors.proposal_detail)

    def dispatch(self, request, *args, **kwargs):
        try:
            self.proposal = self.load_proposal(kwargs["pk"])
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        if self.closes_due and rules_is_due(self.proposal):
            # No beat under `make run`: a page that shows a due vote closes it (idempotent).
            services.close_if_due(self.proposal)
            self.proposal = self.load_proposal(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.proposal


def rules_is_due(proposal: Proposal) -> bool:
    return governance_rules.is_due.test(None, proposal)


class TransitionView(ProposalMixin, ServiceFormView):
    """A life-cycle step; with a form (`form_class`) it has a confirmation page.

    `perform` calls the service and sets `success_message`; the step returns to the proposal.
    """

    template_name = "governance/transition.html"
    invalid_status = 400

    def get_success_url(self):
        return self.proposal

    def context(self) -> dict:
        return {"proposal": self.proposal}
