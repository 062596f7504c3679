from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from . import selectors, services
from .forms import (
    IssueCodesForm,
    RedeemCodeForm,
    RegisterWithCodeForm,
    RevokeVerificationForm,
    VerifyMemberForm,
)
from .models import MemberVerification, User


def _add_service_errors(form, error: ValidationError, field: str | None = None) -> None:
    for message in error.messages:
        form.add_error(field, message)


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verification"] = selectors.active_verification(self.request.user)
        return context


class MemberListView(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.list_members"
    template_name = "accounts/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = self.request.GET.get("q", "").strip()
        status = self.request.GET.get("status", "")
        members = selectors.members_for_staff(search=search, status=status)
        context["page"] = Paginator(members, 50).get_page(self.request.GET.get("page"))
        context["search"] = search
        context["status"] = status
        return context


class VerifyMemberView(PermissionRequiredMixin, View):
    permission_required = "accounts.verify_member"
    template_name = "accounts/verify_member.html"

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(User, pk=kwargs["pk"], is_active=True)
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "member": self.member,
                "verification": selectors.active_verification(self.member),
            },
        )

    def get(self, request, pk):
        return self._render(VerifyMemberForm())

    def post(self, request, pk):
        form = VerifyMemberForm(request.POST)
        if form.is_valid():
            try:
                services.verify_member(
                    user=self.member,
                    area=form.cleaned_data["area"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(user)s is now a verified community member of %(area)s.")
                    % {"user": self.member, "area": form.cleaned_data["area"]},
                )
                return redirect("accounts:members")
        return self._render(form)


class RevokeVerificationView(PermissionRequiredMixin, View):
    permission_required = "accounts.verify_member"
    template_name = "accounts/revoke_verification.html"

    def dispatch(self, request, *args, **kwargs):
        self.verification = get_object_or_404(
            MemberVerification.objects.select_related("user", "area"),
            pk=kwargs["pk"],
            revoked_at__isnull=True,
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return render(
            request,
            self.template_name,
            {"form": RevokeVerificationForm(), "verification": self.verification},
        )

    def post(self, request, pk):
        form = RevokeVerificationForm(request.POST)
        if form.is_valid():
            try:
                services.revoke_verification(
                    verification=self.verification,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The verification was revoked."))
                return redirect("accounts:members")
        return render(
            request, self.template_name, {"form": form, "verification": self.verification}
        )


class VerificationCodesView(PermissionRequiredMixin, View):
    """List the codes issued so far, and issue new ones (shown once, on a printable page)."""

    permission_required = "accounts.issue_verification_codes"

    def _list(self, request, form):
        page = Paginator(selectors.verification_codes(), 50).get_page(request.GET.get("page"))
        return render(request, "accounts/verification_codes.html", {"form": form, "page": page})

    def get(self, request):
        return self._list(request, IssueCodesForm())

    def post(self, request):
        form = IssueCodesForm(request.POST)
        if form.is_valid():
            try:
                codes = services.issue_verification_codes(
                    area=form.cleaned_data["area"],
                    count=form.cleaned_data["count"],
                    valid_days=form.cleaned_data["valid_days"],
                    actor=request.user,
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                response = render(
                    request,
                    "accounts/verification_codes_print.html",
                    {
                        "codes": codes,
                        "area": form.cleaned_data["area"],
                        "valid_days": form.cleaned_data["valid_days"],
                        "register_url": request.build_absolute_uri(reverse("accounts:register")),
                    },
                )
                # The plain codes exist only on this page: never cache it.
                add_never_cache_headers(response)
                return response
        return self._list(request, form)


class RedeemCodeView(LoginRequiredMixin, View):
    template_name = "accounts/redeem_code.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RedeemCodeForm()})

    def post(self, request):
        form = RedeemCodeForm(request.POST)
        if form.is_valid():
            try:
                verification = services.redeem_verification_code(
                    user=request.user, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                _add_service_errors(form, error, "code")
            else:
                messages.success(
                    request,
                    _("Welcome! You are now a verified community member of %(area)s.")
                    % {"area": verification.area},
                )
                return redirect("accounts:profile")
        return render(request, self.template_name, {"form": form})


class RegisterWithCodeView(View):
    template_name = "accounts/register.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("accounts:redeem")
        return render(request, self.template_name, {"form": RegisterWithCodeForm()})

    def post(self, request):
        form = RegisterWithCodeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.register_with_code(
                    username=data["username"],
                    password=data["password1"],
                    email=data["email"],
                    code=data["code"],
                )
            except ValidationError as error:
                field = {
                    "username_taken": "username",
                    "unknown": "code",
                    "used": "code",
                    "expired": "code",
                }.get(error.code, "password1" if not error.code else None)
                _add_service_errors(form, error, field)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Your account is ready and verified. Welcome!"),
                )
                return redirect("accounts:profile")
        return render(request, self.template_name, {"form": form})
