"""The public pages: the fund overview, a fund, the contracts and a contract."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.views import paginate

from .. import disclosure, promises, selectors
from ..filters import ContractFilter
from ..models import Fund
from .base import CONTRACT_PAGE_SIZE, contract_or_404


class OverviewView(PermissionRequiredMixin, TemplateView):
    """All community funds together: balance, money in and out this year, where it went."""

    permission_required = "sroi.see_fund_overview"
    template_name = "sroi/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = selectors.fund_summary(None)
        context.update(
            summary=summary,
            funds=selectors.funds_with_balance(),
            totals=selectors.contract_totals(paid_in_cash=selectors.cash_paid_in(summary)),
        )
        return context


class FundView(PermissionRequiredMixin, TemplateView):
    permission_required = "sroi.see_fund_overview"
    template_name = "sroi/fund.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fund = get_object_or_404(Fund.objects.select_related("area"), slug=kwargs["slug"])
        summary = selectors.fund_summary(fund)
        promised = promises.promised(fund)
        context.update(
            fund=fund,
            summary=summary,
            promised=promises.total(promised),
            promised_to=promises.named(promised),
            free=promises.free(summary.available, promised),
        )
        return context


class ContractListView(PermissionRequiredMixin, TemplateView):
    """Every contract with its obligation and progress; searchable by reference, title, contractor."""

    permission_required = "sroi.see_contracts"
    template_name = "sroi/contract_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ContractFilter(self.request.GET, queryset=selectors.contracts_with_progress())
        page = paginate(self.request, filterset.qs, CONTRACT_PAGE_SIZE)
        page.object_list = selectors.with_progress(page.object_list)
        context.update(page=page, q=filterset.form.cleaned_data.get("q", ""))
        return context


class ContractView(PermissionRequiredMixin, TemplateView):
    """A contract's obligation and progress; realisations only counted in groups large enough
    that no person shows (`sroi.disclosure`)."""

    permission_required = "sroi.see_contracts"
    template_name = "sroi/contract_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = contract_or_404(kwargs["pk"])
        context.update(
            contract=contract,
            by_block=selectors.realisations_by_block(contract),
            min_count=disclosure.min_count(),
        )
        return context
