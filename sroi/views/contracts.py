"""Staff pages for contractors, contracts and realisations (claim, verify, reject, evidence)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.views import paginate
from security.uploads import download_response

from .. import selectors, services
from ..forms import ClaimRealisationForm, ContractForm, ContractorForm, ReasonForm
from ..models import Contract, Contractor, Realisation
from .base import BEHIND_PAGE_SIZE, REALISATION_PAGE_SIZE, ServiceFormView, contract_or_404


class BehindView(PermissionRequiredMixin, TemplateView):
    permission_required = "sroi.manage_contracts"
    template_name = "sroi/behind.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(self.request, selectors.contracts_behind(), BEHIND_PAGE_SIZE)
        context["page"] = page
        context["contracts"] = selectors.with_progress(page.object_list)
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
        contract = contract_or_404(kwargs["pk"])
        page = paginate(
            self.request, selectors.realisations_for_staff(contract), REALISATION_PAGE_SIZE
        )
        context.update(
            contract=contract,
            page=page,
            realisations=page.object_list,
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


class VerifyRealisationView(ServiceFormView):
    """A button: the realisation counts from now on."""

    permission_required = "sroi.verify_realisation"
    success_message = gettext_lazy("The realisation is verified and counts.")

    def load(self):
        self.realisation = get_object_or_404(Realisation, pk=self.kwargs["pk"])

    def get_success_url(self):
        return reverse("sroi:realisation", kwargs={"pk": self.realisation.pk})

    def perform(self, form):
        services.verify_realisation(realisation=self.realisation, actor=self.request.user)


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
