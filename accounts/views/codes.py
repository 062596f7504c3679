"""Verification codes: batches issued with four eyes, printed, and redeemed by a resident."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.addresses import public_url, typed_address
from common.community_home import community_home
from common.qr import qr_svg
from common.views import ServiceFormView, errors_to_form, paginate

from .. import selectors, services
from ..forms import IssueCodesForm, RedeemCodeForm
from ..models import VerificationCodeBatch
from ..ratelimit import rate_limited
from ..services.codes import approval_reason

CODE_PAGE_SIZE = 50


def _print_page(request, batch, codes):
    # The short address (`/code/`, it leads to the registration), on the site's public address
    # (SITE_URL, as letters and e-mails use), not the address this civil servant works on.
    url = public_url(reverse("code"))
    address = typed_address(url)
    response = render(
        request,
        "accounts/verification_codes_print.html",
        {
            "codes": codes,
            "area": batch.area,
            "valid_days": batch.valid_days,
            "register_address": address,
            "register_qr": qr_svg(
                url, label=_("QR code with the address %(address)s") % {"address": address}
            ),
            "community_home": community_home(),
        },
    )
    # The plain codes exist only on this page: never cache it.
    add_never_cache_headers(response)
    return response


class VerificationCodesView(PermissionRequiredMixin, View):
    """List the codes issued so far, and issue new ones (shown once, on a printable page).

    A batch waits for another civil servant's approval when its issuer's codes of the last
    VERIFICATION_BATCH_APPROVAL_DAYS days, this batch included, are above
    VERIFICATION_BATCH_APPROVAL_ABOVE.
    """

    permission_required = "accounts.issue_verification_codes"

    def _list(self, request, form):
        page = paginate(request, selectors.verification_codes(), 50)
        return render(
            request,
            "accounts/verification_codes.html",
            {
                "form": form,
                "page": page,
                "approval_above": settings.VERIFICATION_BATCH_APPROVAL_ABOVE,
                "approval_days": settings.VERIFICATION_BATCH_APPROVAL_DAYS,
            },
        )

    def get(self, request):
        return self._list(request, IssueCodesForm())

    def post(self, request):
        form = IssueCodesForm(request.POST)
        if form.is_valid():
            try:
                # Requested and, when it needs no approval, printed in one transaction.
                batch, codes = services.issue_code_batch(
                    area=form.cleaned_data["area"],
                    count=form.cleaned_data["count"],
                    valid_days=form.cleaned_data["valid_days"],
                    actor=request.user,
                )
                if batch.needs_approval:
                    saved = _(
                        "Your request is saved. Another civil servant must approve it. "
                        "After that you can print the codes here."
                    )
                    # Why first: a batch of 20 can wait because of the codes asked before it.
                    messages.info(request, f"{approval_reason(batch)} {saved}")
                    return redirect("accounts:batch", pk=batch.pk)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                return _print_page(request, batch, codes)
        return self._list(request, form)


class CodeBatchListView(PermissionRequiredMixin, TemplateView):
    """Every batch of codes, who asked for it and who approved it: for review by colleagues."""

    permission_required = "accounts.review_code_batches"
    template_name = "accounts/code_batches.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = paginate(self.request, selectors.code_batches(), 50)
        return context


class CodeBatchView(PermissionRequiredMixin, View):
    """One batch: its codes (last four characters, 50 a page), approval and printing. The
    printable sheet with every code in full is the POST of `PrintCodeBatchView`, shown once."""

    permission_required = "accounts.review_code_batches"

    def get(self, request, pk):
        batch = get_object_or_404(selectors.code_batches(), pk=pk)
        user = request.user
        codes = batch.codes.select_related("used_by").order_by("-created_at", "suffix", "pk")
        page = paginate(request, codes, CODE_PAGE_SIZE)
        return render(
            request,
            "accounts/code_batch.html",
            {
                "batch": batch,
                "page": page,
                "codes": page.object_list,
                "may_approve": batch.needs_approval
                and batch.approved_at is None
                and batch.issuer_id != user.pk
                and user.has_perm("accounts.approve_code_batch"),
                "may_print": batch.is_printable and batch.issuer_id == user.pk,
            },
        )


class ApproveCodeBatchView(ServiceFormView):
    """A button: a second civil servant approves the batch (four eyes)."""

    permission_required = "accounts.approve_code_batch"
    success_message = gettext_lazy("The batch is approved. Its issuer can print it now.")

    def load(self):
        self.batch = get_object_or_404(VerificationCodeBatch, pk=self.kwargs["pk"])

    def get_success_url(self):
        return reverse("accounts:batch", kwargs={"pk": self.batch.pk})

    def perform(self, form):
        services.approve_code_batch(batch=self.batch, actor=self.request.user)


class PrintCodeBatchView(PermissionRequiredMixin, View):
    permission_required = "accounts.issue_verification_codes"

    def post(self, request, pk):
        batch = get_object_or_404(VerificationCodeBatch.objects.select_related("area"), pk=pk)
        try:
            codes = services.print_code_batch(batch=batch, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:batch", pk=pk)
        return _print_page(request, batch, codes)


@method_decorator(rate_limited("redeem_code"), name="post")
class RedeemCodeView(PermissionRequiredMixin, View):
    permission_required = "accounts.redeem_verification_code"
    template_name = "accounts/redeem_code.html"

    def has_permission(self):
        # Django lets a superuser pass every permission; four eyes holds for them too.
        user = self.request.user
        return super().has_permission() and not services.is_staff_account(user)

    def get(self, request):
        return render(request, self.template_name, {"form": RedeemCodeForm()})

    def post(self, request):
        form = RedeemCodeForm(request.POST)
        if form.is_valid():
            try:
                verification = services.redeem_verification_code(
                    actor=request.user, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                errors_to_form(form, error, field="code")
            else:
                messages.success(
                    request,
                    _("Welcome! You are now a verified community member of %(area)s.")
                    % {"area": verification.area},
                )
                return redirect("accounts:profile")
        return render(request, self.template_name, {"form": form})
