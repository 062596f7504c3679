"""What the governance pages share: the proposal from the URL, service errors on a form, a life-cycle step."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from sroi.formatting import format_money

from .. import rules as governance_rules
from .. import selectors, services
from ..models import Proposal

PAGE_SIZE = 25


def _warn_about_shortfall(request, proposal: Proposal) -> None:
    shortfall = selectors.allocation_shortfall(proposal)
    if shortfall is not None:
        available, amount = shortfall
        messages.warning(
            request,
            _(
                "%(fund)s has %(available)s available now, less than the %(amount)s of this "
                "proposal. It can only be carried out when the fund has enough money."
            )
            % {
                "fund": proposal.fund,
                "available": format_money(available),
                "amount": format_money(amount),
            },
        )


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ProposalMixin:
    """Loads the proposal named in the URL before the permission check (rules ask about it)."""

    closes_due = True

    def dispatch(self, request, *args, **kwargs):
        try:
            self.proposal = selectors.proposal_detail(kwargs["pk"])
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        if self.closes_due and rules_is_due(self.proposal):
            # No beat under `make run`: a page that shows a due vote closes it (idempotent).
            services.close_if_due(self.proposal)
            self.proposal = selectors.proposal_detail(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.proposal


def rules_is_due(proposal: Proposal) -> bool:
    return governance_rules.is_due.test(None, proposal)


class TransitionView(ProposalMixin, PermissionRequiredMixin, View):
    """A life-cycle step; with a form (`form_class`) it has a confirmation page."""

    form_class = None
    template_name = "governance/transition.html"
    title = ""
    success = ""

    def perform(self, form) -> None:
        raise NotImplementedError

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "proposal": self.proposal, "title": self.title},
            status=status,
        )

    def get(self, request, pk):
        if self.form_class is None:
            return self.http_method_not_allowed(request)
        return self._render(self.form_class())

    def post(self, request, pk):
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self._render(form, status=400)
        try:
            self.perform(form)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(self.proposal)
            _errors_to_form(form, error)
            return self._render(form, status=400)
        messages.success(request, self.success)
        return redirect(self.proposal)
