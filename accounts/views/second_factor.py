"""The second factor for staff who log in with a password: the code after the password, setting
up the authenticator app, and the e-mailed link that the first set-up needs
(`accounts.enrolment`; security review 2026-12-06, S5)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from common.views import errors_to_form

from .. import enrolment, second_factor
from ..forms import SecondFactorForm
from ..ratelimit import rate_limited
from .signing_in import next_url

OTHER_ACCOUNTS_LINK = gettext_lazy(
    "This link is for another account. Log out, open the link again, and log in with the "
    "account it was sent to."
)


def enrolment_context(request) -> dict:
    """What the pages that offer the e-mailed link show: the address, masked, and how long a
    link works."""
    email = request.user.email if request.user.is_authenticated else ""
    return {
        "masked_email": enrolment.masked_email(email) if email else "",
        "hours": settings.SECOND_FACTOR_ENROLMENT_HOURS,
        "next": next_url(request),
    }


def _setup_address(request) -> str:
    return f"{reverse('accounts:second_factor_setup')}?{urlencode({'next': next_url(request)})}"


class SecondFactorSetupView(LoginRequiredMixin, View):
    """Set up the authenticator app: scan the QR code, type the first code, keep the recovery codes.

    The key is shown only to a session that `second_factor.may_set_up`: the first authenticator
    after the link e-mailed to the person was opened in it, a new one after the second step.
    Any other session is offered that link and sees no key."""

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
        device = second_factor.start_totp_setup(request=request)
        response = render(
            request,
            self.template_name,
            {
                "form": form,
                "qr_code": second_factor.qr_code_svg(device),
                "key": second_factor.readable_key(device),
                "next": next_url(request),
            },
        )
        add_never_cache_headers(response)
        return response

    def _ask_for_link(self, request, status=200):
        if enrolment.drop_proof_of_another_account(request):
            messages.warning(request, OTHER_ACCOUNTS_LINK)
        context = {"ask_for_link": True, **enrolment_context(request)}
        response = render(request, self.template_name, context, status=status)
        add_never_cache_headers(response)
        return response

    def get(self, request):
        if not second_factor.may_set_up(request):
            return self._ask_for_link(request)
        return self._render(request, SecondFactorForm())

    def post(self, request):
        if not second_factor.may_set_up(request):
            # This session was shown no key: no code it sends confirms anything.
            return self._ask_for_link(request, status=403)
        form = SecondFactorForm(request.POST)
        if form.is_valid():
            try:
                codes = second_factor.confirm_totp_setup(
                    request=request, token=form.cleaned_data["token"]
                )
            except ValidationError as error:
                errors_to_form(form, error, field="token")
            else:
                response = render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": next_url(request)},
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
            return redirect(next_url(request))
        form = SecondFactorForm()
        return render(request, self.template_name, {"form": form, "next": next_url(request)})

    def post(self, request):
        form = SecondFactorForm(request.POST)
        if form.is_valid():
            try:
                second_factor.verify_second_factor(
                    request=request, token=form.cleaned_data["token"]
                )
            except ValidationError as error:
                errors_to_form(form, error, field="token")
            else:
                return redirect(next_url(request))
        return render(request, self.template_name, {"form": form, "next": next_url(request)})


@method_decorator(never_cache, name="dispatch")
@method_decorator(rate_limited("enrolment_link", per="user"), name="post")
class EnrolmentLinkRequestView(LoginRequiredMixin, View):
    """ "Send me the link": e-mail the signed-in person a link to set up their first
    authenticator. The answer is the same whether the mail server took it or not."""

    http_method_names = ["post"]

    def post(self, request):
        user = request.user
        if user.email and not second_factor.has_confirmed_device(user):
            enrolment.send_link(user=user)
            messages.info(
                request,
                _(
                    "We sent a link to %(address)s. It can take a few minutes. No e-mail? Look "
                    "in your junk mail too, or ask for a new link."
                )
                % {"address": enrolment.masked_email(user.email)},
            )
        return redirect(_setup_address(request))


@method_decorator(never_cache, name="dispatch")
class EnrolmentLinkView(View):
    """The link from the e-mail. Valid: this session may set up the first authenticator (the
    proof is kept, not the token), and the person goes on to the set-up page, so the token
    leaves the address bar. Not logged in yet: the same, then the log-in (the token is never
    passed on in `next`, where the log-in's failure records would keep it)."""

    http_method_names = ["get"]

    def get(self, request, uidb64, token):
        response = self._answer(request, uidb64, token)
        # The address holds a secret: no page sends it on as a referrer.
        response["Referrer-Policy"] = "no-referrer"
        return response

    def _answer(self, request, uidb64, token):
        user = request.user
        number = enrolment.account_number(uidb64)
        if user.is_authenticated and number is not None and number != user.pk:
            return render(request, "403.html", {"reason": OTHER_ACCOUNTS_LINK}, status=403)
        account = user if user.is_authenticated else enrolment.active_account(number)
        if account is None or number is None or not enrolment.tokens.check_token(account, token):
            return self._no_longer_works(request)
        enrolment.prove(request, account)
        if not user.is_authenticated:
            return redirect_to_login(reverse("accounts:second_factor_setup"))
        return redirect("accounts:second_factor_setup")

    def _no_longer_works(self, request):
        user = request.user
        has_device = user.is_authenticated and second_factor.has_confirmed_device(user)
        context = {"has_device": has_device, **enrolment_context(request)}
        return render(request, "accounts/enrolment_link_invalid.html", context)
