"""Signing up and in: an account from a code, the welcome page, staying signed in and the area
after a DigiD log-in (the second factor for staff: `second_factor`)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from common.views import errors_to_form, is_own_path

from .. import oidc, selectors, services
from ..forms import DigiDAreaForm, RegisterAccountForm, RegisterCodeForm
from ..ratelimit import rate_limited


@method_decorator(never_cache, name="dispatch")
@method_decorator(rate_limited("register"), name="post")
class RegisterWithCodeView(View):
    """Make an account with a printed code, in two steps that work without JavaScript.

    Step 1 asks for the code only. Step 2 (the code was good) suggests a user name and asks for a
    password. The code is checked before anything about user names is said, so the page cannot
    be used to find out which names exist.
    """

    template_name = "accounts/register.html"

    def _signed_in(self, request):
        # Never a second account from a signed-in session.
        if services.is_staff_account(request.user):
            return redirect("accounts:profile")
        return redirect("accounts:redeem")

    def _code_step(self, request, form):
        return render(request, self.template_name, {"form": form, "step": "code"})

    def _account_step(self, request, form, record):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "step": "account",
                "area": record.area,
                "password_rules": password_validators_help_texts(),
            },
        )

    def get(self, request):
        if request.user.is_authenticated:
            return self._signed_in(request)
        return self._code_step(request, RegisterCodeForm())

    def post(self, request):
        if request.user.is_authenticated:
            return self._signed_in(request)
        if "username" not in request.POST:
            return self._check_code(request)
        return self._register(request)

    def _check_code(self, request):
        form = RegisterCodeForm(request.POST)
        if not form.is_valid():
            return self._code_step(request, form)
        try:
            record = services.check_verification_code(form.cleaned_data["code"])
        except ValidationError as error:
            errors_to_form(form, error, field="code")
            return self._code_step(request, form)
        account_form = RegisterAccountForm(
            initial={"code": form.cleaned_data["code"], "username": services.suggest_username()}
        )
        return self._account_step(request, account_form, record)

    def _register(self, request):
        form = RegisterAccountForm(request.POST)
        code = request.POST.get("code", "")
        try:
            record = services.check_verification_code(code)
        except ValidationError as error:
            # The code went bad in between (used by someone else, expired): back to step 1.
            code_form = RegisterCodeForm({"code": code})
            code_form.full_clean()
            errors_to_form(code_form, error, field="code")
            return self._code_step(request, code_form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.register_with_code(
                    username=data["username"],
                    password=data["password"],
                    email=data["email"],
                    code=data["code"],
                )
            except ValidationError as error:
                code = getattr(error, "code", None)  # a list of password errors has none
                field = {"username_taken": "username"}.get(code, "password")
                if code in {"unknown", "used", "expired", "unapproved", "empty"}:
                    field = None
                errors_to_form(form, error, field=field)
            else:
                login(request, user, backend="accounts.backends.ModelBackend")
                return redirect("accounts:welcome")
        return self._account_step(request, form, record)


class WelcomeView(LoginRequiredMixin, TemplateView):
    """After registration: what a new member can do now, and where to get help."""

    template_name = "accounts/welcome.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verification"] = selectors.active_verification(self.request.user)
        context["idle_minutes"] = settings.SESSION_IDLE_SECONDS_RESIDENT // 60
        return context


class KeepAliveView(View):
    """ "Stay logged in": any request resets the idle time (IdleTimeoutMiddleware); this one does
    nothing else. The warning's script posts it with fetch; without script it is a plain form."""

    def post(self, request):
        by_script = request.headers.get("X-Requested-With") == "fetch"
        target = next_url(request)
        if not request.user.is_authenticated:
            if by_script:
                return HttpResponse(status=401)
            return redirect_to_login(target)
        if by_script:
            return HttpResponse(status=204)
        return redirect(target)


def next_url(request) -> str:
    """The page to go back to: a path on this site only (never a view name or another host)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if is_own_path(request, wanted):
        return wanted
    return reverse("home")


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
                errors_to_form(form, error, field="area")
            else:
                messages.success(
                    request,
                    _("Welcome! You are now a verified community member of %(area)s.")
                    % {"area": verification.area},
                )
                return redirect("accounts:profile")
        return render(request, self.template_name, {"form": form})
