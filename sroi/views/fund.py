"""Staff pages for the fund's money: contributions, other income, allocations and their tranches,
reversals and closing a year."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.paging import Rows
from common.views import paginate

from .. import ledger_selectors, selectors, services
from ..forms import (
    CloseAllocationForm,
    CloseYearForm,
    ContributionForm,
    OtherIncomeForm,
    ReversalForm,
    TrancheForm,
)
from ..models import Allocation, Fund, Transaction
from .base import ALLOCATION_PAGE_SIZE, TRANSACTION_PAGE_SIZE, ServiceFormView


class FundObjectMixin:
    def load(self):
        self.fund = get_object_or_404(Fund, slug=self.kwargs["slug"])

    def cancel_url(self):
        return reverse("sroi:fund_staff", kwargs={"slug": self.fund.slug})


class FundStaffView(PermissionRequiredMixin, TemplateView):
    """A fund's ledger and its allocations, each paged; the balance in one query (not the
    whole fund summary: this page shows only the position)."""

    permission_required = "sroi.record_money"
    template_name = "sroi/fund_staff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fund = get_object_or_404(selectors.funds_with_counts(), slug=kwargs["slug"])
        page = paginate(
            self.request,
            Rows(selectors.fund_transactions(fund), count=fund.transaction_count),
            TRANSACTION_PAGE_SIZE,
        )
        allocation_page = paginate(
            self.request,
            Rows(selectors.allocations().filter(fund=fund), count=fund.allocation_count),
            ALLOCATION_PAGE_SIZE,
            param="toekenningen",
        )
        context.update(
            fund=fund,
            position=selectors.fund_position(fund),
            page=page,
            allocation_page=allocation_page,
        )
        return context


class CloseYearView(ServiceFormView):
    """The years closed for bookings, and a form to close one that has ended."""

    permission_required = "sroi.close_year"
    form_class = CloseYearForm
    template_name = "sroi/closed_years.html"
    submit_label = gettext_lazy("Close this year for good")

    def load(self):
        self.title = _("Closed years")
        self.intro = _(
            "In a closed year nobody can book money any more, administrators included. "
            "Publishing the annual report closes its year. A closed year never opens again."
        )

    def context(self) -> dict:
        return {"closed_years": selectors.closed_years()}

    def perform(self, form):
        closed = services.close_year(
            year=form.cleaned_data["year"],
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )
        messages.success(
            self.request,
            _("The year %(year)s is closed for bookings.") % {"year": closed.year},
        )
        return reverse("sroi:closed_years")


class ContributionView(FundObjectMixin, ServiceFormView):
    permission_required = "sroi.record_money"
    form_class = ContributionForm
    success_message = gettext_lazy("The contribution is recorded.")

    def load(self):
        super().load()
        self.title = _("Record a social-return contribution to %(fund)s") % {"fund": self.fund}

    def perform(self, form):
        data = form.cleaned_data
        services.record_contribution(
            fund=self.fund,
            contract=data["contract"],
            amount=data["amount"],
            date=data["date"],
            description=data["description"],
            actor=self.request.user,
        )
        return self.cancel_url()


class OtherIncomeView(FundObjectMixin, ServiceFormView):
    permission_required = "sroi.record_money"
    form_class = OtherIncomeForm
    success_message = gettext_lazy("The income is recorded.")

    def load(self):
        super().load()
        self.title = _("Record a top-up or other income for %(fund)s") % {"fund": self.fund}

    def perform(self, form):
        data = form.cleaned_data
        services.record_other_income(
            fund=self.fund,
            amount=data["amount"],
            date=data["date"],
            description=data["description"],
            from_municipality=data["source"] == "municipality",
            actor=self.request.user,
        )
        return self.cancel_url()


class AllocationView(PermissionRequiredMixin, TemplateView):
    permission_required = "sroi.record_money"
    template_name = "sroi/allocation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            allocation = selectors.allocation_detail(kwargs["pk"])
        except Allocation.DoesNotExist as exc:
            raise Http404 from exc
        page = paginate(
            self.request,
            selectors.fund_transactions(allocation.fund).filter(allocation=allocation),
            TRANSACTION_PAGE_SIZE,
        )
        context.update(
            allocation=allocation,
            page=page,
            transactions=page.object_list,
            changes=selectors.history_of(allocation),
        )
        return context


class AllocationObjectMixin:
    def load(self):
        self.allocation = get_object_or_404(
            Allocation.objects.select_related("fund", "initiative"), pk=self.kwargs["pk"]
        )

    def cancel_url(self):
        return self.allocation.get_absolute_url()


class TrancheView(AllocationObjectMixin, ServiceFormView):
    """Money between an allocation and its initiative: a tranche out, or unspent money back."""

    permission_required = "sroi.record_money"
    form_class = TrancheForm
    service = None  # the ledger service that books it
    title_text = ""

    def load(self):
        super().load()
        self.title = self.title_text % {"initiative": self.allocation.initiative}

    def perform(self, form):
        data = form.cleaned_data
        type(self).service(
            allocation=self.allocation,
            amount=data["amount"],
            date=data["date"],
            description=data["description"],
            actor=self.request.user,
        )
        return self.cancel_url()


class DisburseView(TrancheView):
    service = services.disburse
    title_text = gettext_lazy("Pay a tranche to %(initiative)s")
    success_message = gettext_lazy("The tranche is recorded as paid out.")


class ReturnView(TrancheView):
    service = services.return_unspent
    title_text = gettext_lazy("Record unspent money returned by %(initiative)s")
    success_message = gettext_lazy("The returned money is recorded.")


class CloseAllocationView(AllocationObjectMixin, ServiceFormView):
    permission_required = "sroi.record_money"
    form_class = CloseAllocationForm
    success_message = gettext_lazy("The allocation is closed.")
    submit_label = gettext_lazy("Close allocation")

    def load(self):
        super().load()
        self.title = _("Close the allocation to %(initiative)s") % {
            "initiative": self.allocation.initiative
        }

    def perform(self, form):
        services.close_allocation(
            allocation=self.allocation,
            reason=form.cleaned_data["reason"],
            date=timezone.localdate(),
            actor=self.request.user,
        )
        return self.cancel_url()


class ReverseTransactionView(ServiceFormView):
    permission_required = "sroi.reverse_transaction"
    form_class = ReversalForm
    success_message = gettext_lazy("The transaction is reversed.")
    submit_label = gettext_lazy("Reverse")
    template_name = "sroi/reverse.html"

    def load(self):
        try:
            self.transaction = ledger_selectors.transaction(self.kwargs["pk"])
        except Transaction.DoesNotExist as exc:
            raise Http404 from exc
        self.title = _("Reverse a transaction")
        self.intro = _(
            "The transaction stays in the ledger; a reversing transaction undoes it. The kind "
            "of reason is published; your own words stay internal."
        )

    def context(self):
        return {"transaction": self.transaction}

    def cancel_url(self):
        return reverse("sroi:fund_staff", kwargs={"slug": self.transaction.fund.slug})

    def perform(self, form):
        services.reverse_transaction(
            transaction=self.transaction,
            reason=form.cleaned_data["reason"],
            category=form.cleaned_data["category"],
            actor=self.request.user,
        )
        return self.cancel_url()
