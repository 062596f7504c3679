"""Send staff who logged in with a password to the second factor before any other page."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import oidc
from .second_factor import has_confirmed_device, is_verified, needs_second_factor

# Pages a staff member may reach before the second factor: the set-up and check themselves,
# logging out, changing the language, and files and the health check that carry no data.
OPEN_PREFIXES = ("/static/", "/health/", "/i18n/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_verify(request) and not self._is_open(request.path):
            target = (
                "accounts:second_factor"
                if has_confirmed_device(request.user)
                else "accounts:second_factor_setup"
            )
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        user = request.user
        if not needs_second_factor(user):
            return False
        if oidc.logged_in_with(request, oidc.STAFF):
            return False  # the municipality's identity provider does MFA
        return not is_verified(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        own = (
            reverse("accounts:second_factor"),
            reverse("accounts:second_factor_setup"),
            reverse("logout"),
        )
        return path in own or path.startswith(OPEN_PREFIXES)
