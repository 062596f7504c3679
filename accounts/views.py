from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from . import oidc, second_factor, selectors, services
from .forms import (
    DigiDAreaForm,
    IssueCodesForm,
    RedeemCodeForm,
    RegisterWithCodeForm,
    RevokeVerificationForm,
    SecondFactorForm,
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


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")


class SecondFactorSetupView(LoginRequiredMixin, View):
    """Set up the authenticator app: scan the QR code, type the first code, keep the recovery codes."""

    template_name = "accounts/second_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # Replacing a confirmed authenticator needs the second factor first.
        user = request.user
        if (
            user.is_authenticated
            and second_factor.has_confirmed_device(user)
            and not second_factor.is_verified(request)
        ):
            return redirect(f"{reverse('accounts:second_factor')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, form):
        device = second_factor.start_totp_setup(user=request.user)
        response = render(
            request,
            self.template_name,
            {
                "form": form,
                "qr_code": second_factor.qr_code_svg(device),
                "key": second_factor.readable_key(device),
                "next": _next_url(request),
            },
        )
        add_never_cache_headers(response)
        return response

    def get(self, request):
        return self._render(request, SecondFactorForm())

    def post(self, request):
        form = SecondFactorForm(request.POST)
        if form.is_valid():
            try:
                codes = second_factor.confirm_totp_setup(
                    request=request, token=form.cleaned_data["token"]
                )
            except ValidationError as error:
                _add_service_errors(form, error, "token")
            else:
                response = render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": _next_url(request)},
                )
                # The recovery codes exist only on this page: never cache it.
                add_never_cache_headers(response)
                return response
        return self._render(request, form)


class SecondFactorView(LoginRequiredMixin, View):
    """Type the code from the app (or a recovery code) after logging in with a password."""

    template_name = "accounts/second_factor.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not second_factor.has_confirmed_device(request.user):
            return redirect(f"{reverse('accounts:second_factor_setup')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if second_factor.is_verified(request):
            return redirect(_next_url(request))
        form = SecondFactorForm()
        return render(request, self.template_name, {"form": form, "next": _next_url(request)})

    def post(self, request):
        form = SecondFactorForm(request.POST)
        if form.is_valid():
            try:
                second_factor.verify_second_factor(
                    request=request, token=form.cleaned_data["token"]
                )
            except ValidationError as error:
                _add_service_errors(form, error, "token")
            else:
                return redirect(_next_url(request))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)})


class DigiDAreaView(LoginRequiredMixin, View):
    """A resident who logged in with DigiD for the first time says where they live."""

    template_name = "accounts/digid_area.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not oidc.logged_in_with(request, oidc.DIGID):
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if selectors.active_verification(request.user) is not None:
            return redirect("accounts:profile")
        return render(request, self.template_name, {"form": DigiDAreaForm()})

    def post(self, request):
        form = DigiDAreaForm(request.POST)
        if form.is_valid():
            try:
                verification = services.verify_with_digid(
                    user=request.user, area=form.cleaned_data["area"], actor=request.user
                )
            except ValidationError as error:
                _add_service_errors(form, error, "area")
            else:
                messages.success(
                    request,
                    _("Welcome! You are now a verified community member of %(area)s.")
                    % {"area": verification.area},
                )
                return redirect("accounts:profile")
        return render(request, self.template_name, {"form": form})
