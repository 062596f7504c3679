"""Public fund and contract pages; staff pages that record contracts, realisations and money.

Thin: each view asks a permission (sroi.rules), calls one service or selector and renders. A
service's ValidationError is shown on the form; nothing was written then.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common import views as common_views
from common.views import paginate
from security.uploads import download_response

from . import ledger_selectors, selectors, services
from .filters import ContractFilter
from .forms import (
    ClaimRealisationForm,
    CloseAllocationForm,
    CloseYearForm,
    ContractForm,
    ContractorForm,
    ContributionForm,
    OtherIncomeForm,
    ReasonForm,
    TrancheForm,
)
from .models import Allocation, Contract, Contractor, Fund, Realisation, Transaction

CONTRACT_PAGE_SIZE = 50
TRANSACTION_PAGE_SIZE = 50
ALLOCATION_PAGE_SIZE = 25


class ServiceFormView(common_views.ServiceFormView):
    template_name = "sroi/form.html"


# --- Public ------------------------------------------------------------------------------------


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
        context.update(fund=fund, summary=selectors.fund_summary(fund))
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
    """A contract's obligation and progress; realisations only counted per block and group."""

    permission_required = "sroi.see_contracts"
    template_name = "sroi/contract_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            contract = selectors.contract_detail(kwargs["pk"])
        except Contract.DoesNotExist as exc:
            raise Http404 from exc
        context.update(contract=contract, by_block=selectors.realisations_by_block(contract))
        return context


# --- Staff: contracts and realisations ---------------------------------------------------------


class BehindView(PermissionRequiredMixin, TemplateView):
    permission_required = "sroi.manage_contracts"
    template_name = "sroi/behind.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contracts"] = selectors.contracts_behind()
        return context


class ContractorListView(PermissionRequiredMixin, TemplateView):
    permission_required = "sroi.manage_contracts"
    template_name = "sroi/contractors.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contractors"] = Contractor.objects.order_by("name")
        return context


class ContractorFormView(ServiceFormView):
    permission_required = "sroi.manage_contracts"
    form_class = ContractorForm
    success_message = gettext_lazy("The contractor is saved.")

    def load(self):
        pk = self.kwargs.get("pk")
        self.contractor = get_object_or_404(Contractor, pk=pk) if pk else None
        self.title = _("Edit contractor") if self.contractor else _("New contractor")

    def get_form(self, data=None, files=None):
        return ContractorForm(data, instance=self.contractor)

    def cancel_url(self):
        return reverse("sroi:contractors")

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in ContractorForm.Meta.fields}
        if self.contractor:
            services.update_contractor(
                contractor=self.contractor, actor=self.request.user, **fields
            )
        else:
            services.create_contractor(actor=self.request.user, **fields)
        return reverse("sroi:contractors")


class ContractFormView(ServiceFormView):
    permission_required = "sroi.manage_contracts"
    form_class = ContractForm
    success_message = gettext_lazy("The contract is saved.")

    def load(self):
        pk = self.kwargs.get("pk")
        self.contract = get_object_or_404(Contract, pk=pk) if pk else None
        self.title = _("Edit contract") if self.contract else _("New contract")
        self.intro = _(
            "The obligation follows from the value, the percentage and the threshold; it is not "
            "entered."
        )

    def get_form(self, data=None, files=None):
        return ContractForm(data, instance=self.contract)

    def cancel_url(self):
        return self.contract.get_absolute_url() if self.contract else reverse("sroi:contracts")

    def perform(self, form):
        if self.contract:
            contract = services.update_contract(
                contract=self.contract, actor=self.request.user, **form.model_fields()
            )
        else:
            contract = services.create_contract(actor=self.request.user, **form.model_fields())
        return reverse("sroi:contract_staff", kwargs={"pk": contract.pk})


class ContractStaffView(PermissionRequiredMixin, TemplateView):
    """The civil servants' page of a contract: every realisation, the contact, the history."""

    permission_required = "sroi.see_contract_details"
    template_name = "sroi/contract_staff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            contract = selectors.contract_detail(kwargs["pk"])
        except Contract.DoesNotExist as exc:
            raise Http404 from exc
        context.update(
            contract=contract,
            realisations=selectors.realisations_for_staff(contract),
            changes=selectors.history_of(contract),
        )
        return context


class ClaimRealisationView(ServiceFormView):
    permission_required = "sroi.claim_realisation"
    success_message = gettext_lazy("The realisation is recorded; it counts once it is verified.")
    submit_label = gettext_lazy("Record realisation")

    def load(self):
        self.contract = get_object_or_404(Contract, pk=self.kwargs["pk"])
        self.title = _("Record a realisation for %(contract)s") % {"contract": self.contract}
        self.intro = _(
            "Enter what the contractor reported, with the evidence. Never enter a name: use the "
            "contractor's pseudonymous reference."
        )

    def get_form(self, data=None, files=None):
        return ClaimRealisationForm(data, files, contract=self.contract)

    def cancel_url(self):
        return reverse("sroi:contract_staff", kwargs={"pk": self.contract.pk})

    def perform(self, form):
        data = form.cleaned_data
        realisation = services.claim_realisation(
            contract=self.contract,
            actor=self.request.user,
            block=data["block"],
            target_group=data["target_group"],
            person_reference=data["person_reference"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            months=data["months"],
            hours_per_week=data["hours_per_week"],
            quantity=data["quantity"],
            invoice_amount=data["invoice_amount"],
            bonuses=data["bonuses"],
            description=data["description"],
            evidence=data["evidence"],
        )
        return reverse("sroi:realisation", kwargs={"pk": realisation.pk})


class RealisationView(PermissionRequiredMixin, TemplateView):
    permission_required = "sroi.verify_realisation"
    template_name = "sroi/realisation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            realisation = selectors.realisation_detail(kwargs["pk"])
        except Realisation.DoesNotExist as exc:
            raise Http404 from exc
        context.update(
            realisation=realisation,
            # Four eyes: whoever recorded the claim is not offered to verify it.
            claimed_by_me=realisation.claimed_by_id == self.request.user.pk,
            reject_form=ReasonForm(),
            changes=selectors.history_of(realisation),
        )
        return context


class VerifyRealisationView(PermissionRequiredMixin, View):
    permission_required = "sroi.verify_realisation"

    def post(self, request, pk):
        realisation = get_object_or_404(Realisation, pk=pk)
        try:
            services.verify_realisation(realisation=realisation, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The realisation is verified and counts."))
        return redirect("sroi:realisation", pk=pk)


class RejectRealisationView(ServiceFormView):
    permission_required = "sroi.verify_realisation"
    form_class = ReasonForm
    success_message = gettext_lazy("The realisation is rejected.")
    submit_label = gettext_lazy("Reject")

    def load(self):
        self.realisation = get_object_or_404(Realisation, pk=self.kwargs["pk"])
        self.title = _("Reject a realisation")
        self.intro = _("Say why; the reason is kept with the realisation.")

    def cancel_url(self):
        return reverse("sroi:realisation", kwargs={"pk": self.realisation.pk})

    def perform(self, form):
        services.reject_realisation(
            realisation=self.realisation,
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )
        return self.cancel_url()


class EvidenceView(PermissionRequiredMixin, View):
    """The evidence file, for staff only (it may hold personal data)."""

    permission_required = "sroi.see_evidence"

    def get(self, request, pk):
        realisation = get_object_or_404(Realisation, pk=pk)
        if not realisation.evidence:
            raise Http404
        return download_response(
            realisation.evidence, filename=realisation.evidence_name or _("evidence")
        )


# --- Staff: the fund ---------------------------------------------------------------------------


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
        fund = get_object_or_404(Fund, slug=kwargs["slug"])
        page = paginate(self.request, selectors.fund_transactions(fund), TRANSACTION_PAGE_SIZE)
        allocation_page = paginate(
            self.request,
            selectors.allocations().filter(fund=fund),
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
        self.title = _("Record other income of %(fund)s") % {"fund": self.fund}

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
        context.update(
            allocation=allocation,
            transactions=selectors.fund_transactions(allocation.fund).filter(allocation=allocation),
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
    form_class = ReasonForm
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
            "The transaction stays in the ledger; a reversing transaction with your reason "
            "undoes it."
        )

    def context(self):
        return {"transaction": self.transaction}

    def cancel_url(self):
        return reverse("sroi:fund_staff", kwargs={"slug": self.transaction.fund.slug})

    def perform(self, form):
        services.reverse_transaction(
            transaction=self.transaction,
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )
        return self.cancel_url()
