"""Log-in over OpenID Connect: staff through the municipality's identity provider, residents
through the DigiD broker. Two clients of mozilla-django-oidc, each with its own settings.

Why not mozilla-django-oidc-db or django-digid-eherkenning: both keep the configuration in the
database (django-solo, django-setup-configuration) and the DigiD package brings SAML and
eHerkenning with it. Our deployments configure from the environment (DESIGN.md), so we subclass
the plain library: each client reads its own OIDC_STAFF_* / DIGID_OIDC_* settings and learns the
endpoints from the issuer's discovery document.

Accounts are found by (provider, subject), never by e-mail address; see ExternalIdentity.
"""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import services
from .backends import ModelBackend

logger = logging.getLogger(__name__)

STAFF = "staff"
DIGID = "digid"

_discovery: dict[str, dict] = {}


def client_settings(client: str) -> dict:
    """The settings of one client; `client_id` is empty when it is switched off."""
    if client == STAFF:
        return {
            "issuer": settings.OIDC_STAFF_ISSUER,
            "client_id": settings.OIDC_STAFF_CLIENT_ID,
            "client_secret": settings.OIDC_STAFF_CLIENT_SECRET,
            "scopes": settings.OIDC_STAFF_SCOPES,
            "sign_algo": settings.OIDC_STAFF_SIGN_ALGO,
        }
    return {
        "issuer": settings.DIGID_OIDC_ISSUER,
        "client_id": settings.DIGID_OIDC_CLIENT_ID,
        "client_secret": settings.DIGID_OIDC_CLIENT_SECRET,
        "scopes": settings.DIGID_OIDC_SCOPES,
        "sign_algo": settings.DIGID_OIDC_SIGN_ALGO,
    }


def is_enabled(client: str) -> bool:
    config = client_settings(client)
    return bool(config["client_id"] and config["issuer"])


def discover(issuer: str) -> dict:
    """The provider's discovery document, fetched once per process and issuer."""
    issuer = issuer.rstrip("/")
    if issuer not in _discovery:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer:
            raise ImproperlyConfigured(
                f"The discovery document of {issuer} names another issuer: {document.get('issuer')}"
            )
        _discovery[issuer] = document
    return _discovery[issuer]


class _ClientSettingsMixin:
    """Answer the library's OIDC_* settings from one client's configuration."""

    client = ""

    def get_settings(self, attr, *args):
        config = client_settings(self.client)
        values = {
            "OIDC_RP_CLIENT_ID": config["client_id"],
            "OIDC_RP_CLIENT_SECRET": config["client_secret"],
            "OIDC_RP_SCOPES": config["scopes"],
            "OIDC_RP_SIGN_ALGO": config["sign_algo"],
            "OIDC_AUTHENTICATION_CALLBACK_URL": f"accounts:oidc_{self.client}_callback",
            "LOGIN_REDIRECT_URL_FAILURE": reverse("login"),
        }
        if attr in values:
            return values[attr]
        endpoints = {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
            "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
            "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
            "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
        }
        if attr in endpoints:
            return discover(config["issuer"]).get(endpoints[attr])
        return import_from_settings(attr, *args)


class _Backend(_ClientSettingsMixin, OIDCAuthenticationBackend):
    """Answers only on its own callback URL: the other client's code is not ours to redeem."""

    def __init__(self, *args, **kwargs):
        # Django makes every backend for every log-in (also with a password): stay cheap and
        # offline here; the settings are read in authenticate().
        self.UserModel = get_user_model()

    def get_user(self, user_id):
        # The library's get_user forgets ModelBackend's check: a deactivated account (or an
        # SSO that was switched off) ends the session at the next request. Ours has it, and
        # reads the user's roles in the same query (accounts.backends), as for a password log-in.
        if not is_enabled(self.client):
            return None
        return ModelBackend().get_user(user_id)

    # Permissions: the library's backend is Django's ModelBackend, so it gave the same answer
    # as `accounts.backends.ModelBackend` (in AUTHENTICATION_BACKENDS next to it), twice per
    # check. A log-in backend answers no permission questions.
    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def authenticate(self, request, **kwargs):
        if request is None or not is_enabled(self.client):
            return None
        if request.path != reverse(f"accounts:oidc_{self.client}_callback"):
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        # Entra ID puts groups only in the ID token; the userinfo answer wins where both have one.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def get_or_create_user(self, access_token, id_token, payload):
        config = client_settings(self.client)
        if payload.get("iss", "").rstrip("/") != config["issuer"].rstrip("/"):
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if config["client_id"] not in audiences:
            raise SuspiciousOperation("ID token for another client")
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo of another person")
        return self.user_for_claims(claims)

    def user_for_claims(self, claims: dict):
        raise NotImplementedError


class StaffOIDCBackend(_Backend):
    client = STAFF

    def user_for_claims(self, claims: dict):
        groups = claims.get(settings.OIDC_STAFF_GROUPS_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        allowed = settings.OIDC_STAFF_ALLOWED_GROUPS
        if allowed and not set(groups) & set(allowed):
            logger.info("SSO log-in refused: not in an allowed group")
            return None
        return services.user_for_staff_sso(
            subject=str(claims["sub"]),
            username=str(claims.get(settings.OIDC_STAFF_USERNAME_CLAIM) or ""),
            email=str(claims.get(settings.OIDC_STAFF_EMAIL_CLAIM) or ""),
            first_name=str(claims.get("given_name") or ""),
            last_name=str(claims.get("family_name") or ""),
        )


class DigiDOIDCBackend(_Backend):
    client = DIGID

    def user_for_claims(self, claims: dict):
        bsn = str(claims.get(settings.DIGID_OIDC_BSN_CLAIM) or "")
        if not bsn:
            raise SuspiciousOperation("the broker gave no BSN")
        return services.user_for_digid(bsn=bsn)


class _StartView(_ClientSettingsMixin, OIDCAuthenticationRequestView):
    def __init__(self, **kwargs):
        # The library reads the endpoints here; we do it in get(), once we know we are on.
        View.__init__(self, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not is_enabled(self.client):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            logger.exception("identity provider of %s unreachable or misconfigured", self.client)
            messages.error(
                request,
                _("Logging in this way is not possible right now. Try again later."),
            )
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class _CallbackView(_ClientSettingsMixin, OIDCAuthenticationCallbackView):
    def dispatch(self, request, *args, **kwargs):
        if not is_enabled(self.client):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self):
        messages.error(
            self.request,
            _("Logging in did not work. Try again, or ask the municipality for help."),
        )
        return super().login_failure()


class StaffStartView(_StartView):
    client = STAFF


class StaffCallbackView(_CallbackView):
    client = STAFF


class DigiDStartView(_StartView):
    client = DIGID


class DigiDCallbackView(_CallbackView):
    client = DIGID

    @property
    def success_url(self):
        # A resident new to DigiD first says where they live.
        if not self.user.verifications.filter(revoked_at__isnull=True).exists():
            return reverse("accounts:digid_area")
        return super().success_url


def logged_in_with(request, client: str) -> bool:
    """Whether this session was logged in through `client` (not with a password)."""
    backend = {STAFF: StaffOIDCBackend, DIGID: DigiDOIDCBackend}[client]
    return request.session.get(BACKEND_SESSION_KEY) == f"{backend.__module__}.{backend.__name__}"
