"""Log-in over OpenID Connect against a real provider (django-oidc-provider in a subprocess).

The whole authorisation-code flow runs over HTTP: our start URL, the provider's log-in form and
authorisation endpoint, our callback (which redeems the code at the provider's token endpoint and
checks the signed ID token against its published keys), and our pages afterwards. It lives in
the integration suite because starting the provider (a migrated SQLite file) takes longer than a
fast test may.
"""

import hashlib
import hmac
import re

import pytest
import requests
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import models

from accounts import oidc
from accounts.models import ExternalIdentity, MemberVerification, Role, User
from tests.accounts.factories import AreaFactory
from tests.oidc_provider.runner import running_provider

BSN = "999993653"
HASH_KEY = "test-digid-hash-key"

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    config = {
        "clients": [
            {
                "client_id": "burgerkracht-staff",
                "client_secret": "staff-secret",
                "redirect_uris": [f"{live_server.url}/accounts/medewerkers/terug/"],
            },
            {
                "client_id": "burgerkracht-digid",
                "client_secret": "digid-secret",
                "redirect_uris": [f"{live_server.url}/accounts/digid/terug/"],
            },
        ],
        "people": [
            {
                "username": "s.jansen",
                "password": "provider-password-1",
                "email": "s.jansen@gemeente.example",
                "first_name": "Sanne",
                "groups": ["burgerkracht-medewerkers"],
            },
            {"username": "outsider", "password": "provider-password-2", "groups": ["other"]},
            {"username": "inwoner", "password": "provider-password-3", "bsn": BSN},
        ],
    }
    with running_provider(config, tmp_path_factory.mktemp("provider")) as issuer:
        yield issuer


@pytest.fixture
def oidc_settings(settings, provider):
    settings.OIDC_STAFF_ISSUER = provider
    settings.OIDC_STAFF_CLIENT_ID = "burgerkracht-staff"
    settings.OIDC_STAFF_CLIENT_SECRET = "staff-secret"  # noqa: S105
    settings.OIDC_STAFF_SCOPES = "openid email profile groups"
    settings.OIDC_STAFF_ALLOWED_GROUPS = ["burgerkracht-medewerkers"]
    settings.DIGID_OIDC_ISSUER = provider
    settings.DIGID_OIDC_CLIENT_ID = "burgerkracht-digid"
    settings.DIGID_OIDC_CLIENT_SECRET = "digid-secret"  # noqa: S105
    settings.DIGID_OIDC_SCOPES = "openid bsn"
    settings.DIGID_BSN_HASH_KEY = HASH_KEY
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    oidc._discovery.clear()
    return settings


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def log_in_at_provider(browser: requests.Session, start_url: str, username: str, password: str):
    """Follow our start URL to the provider's form, log in there, and follow back to us."""
    form = browser.get(start_url, timeout=30)
    assert form.status_code == 200 and "/login/" in form.url, form.url
    response = browser.post(
        form.url,
        data={
            "csrfmiddlewaretoken": _csrf(form.text),
            "username": username,
            "password": password,
            "next": re.search(r'name="next" value="([^"]*)"', form.text)
            .group(1)
            .replace("&amp;", "&"),
        },
        headers={"Referer": form.url},
        timeout=30,
    )
    return response


def test_staff_log_in_through_sso_makes_an_account_without_rights(live_server, oidc_settings):
    # given a municipal employee known only to the identity provider
    browser = requests.Session()
    login_page = browser.get(f"{live_server.url}/accounts/inloggen/", timeout=30).text
    assert 'data-testid="staff-sso-login"' in login_page

    # when they log in through the provider
    response = log_in_at_provider(
        browser,
        f"{live_server.url}/accounts/medewerkers/inloggen/",
        "s.jansen",
        "provider-password-1",
    )

    # then they are back with us, logged in as a new account with no role and no password
    assert response.status_code == 200
    assert response.url.startswith(live_server.url)
    profile = browser.get(f"{live_server.url}/accounts/profiel/", timeout=30)
    assert profile.url == f"{live_server.url}/accounts/profiel/"
    assert "s.jansen" in profile.text
    user = User.objects.get(username="s.jansen")
    assert user.email == "s.jansen@gemeente.example"
    assert user.roles == [] and not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    identity = ExternalIdentity.objects.get(user=user)
    assert identity.provider == ExternalIdentity.Provider.STAFF_SSO
    # and staff pages stay closed until an administrator grants a role
    assert browser.get(f"{live_server.url}/accounts/leden/", timeout=30).status_code == 403


def test_sso_user_with_a_granted_role_skips_the_second_factor(live_server, oidc_settings):
    browser = requests.Session()
    log_in_at_provider(
        browser,
        f"{live_server.url}/accounts/medewerkers/inloggen/",
        "s.jansen",
        "provider-password-1",
    )
    user = User.objects.get(username="s.jansen")
    user.groups.add(Group.objects.get(name=Role.CIVIL_SERVANT.value))

    # Their identity provider did the multi-factor check: no second step here.
    members = browser.get(f"{live_server.url}/accounts/leden/", timeout=30)
    assert members.status_code == 200
    assert members.url == f"{live_server.url}/accounts/leden/"


def test_sso_log_in_is_refused_outside_the_allowed_groups(live_server, oidc_settings):
    browser = requests.Session()
    response = log_in_at_provider(
        browser,
        f"{live_server.url}/accounts/medewerkers/inloggen/",
        "outsider",
        "provider-password-2",
    )
    assert response.url.startswith(f"{live_server.url}/accounts/inloggen/")
    assert "Inloggen is niet gelukt" in response.text
    assert not User.objects.filter(username="outsider").exists()
    assert not ExternalIdentity.objects.exists()


def _all_text_in_the_database() -> str:
    parts = []
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_resident_logs_in_with_digid_chooses_an_area_and_is_recognised_next_time(
    live_server, oidc_settings
):
    area = AreaFactory(name="Gaasperdam", slug="gaasperdam")
    browser = requests.Session()
    assert (
        'data-testid="digid-login"'
        in browser.get(f"{live_server.url}/accounts/inloggen/", timeout=30).text
    )

    # First time: an account, then the question where they live.
    response = log_in_at_provider(
        browser, f"{live_server.url}/accounts/digid/inloggen/", "inwoner", "provider-password-3"
    )
    assert response.url == f"{live_server.url}/accounts/digid/wijk/"
    response = browser.post(
        response.url,
        data={"csrfmiddlewaretoken": _csrf(response.text), "area": area.pk},
        headers={"Referer": response.url},
        timeout=30,
    )
    assert response.url == f"{live_server.url}/accounts/profiel/"
    identity = ExternalIdentity.objects.get(provider=ExternalIdentity.Provider.DIGID)
    user = identity.user
    assert user.has_role(Role.COMMUNITY_MEMBER)
    verification = MemberVerification.objects.get(user=user, revoked_at__isnull=True)
    assert verification.method == MemberVerification.Method.DIGID
    assert verification.area == area
    assert verification.verified_by is None

    # The BSN is kept only as a keyed hash.
    expected = hmac.new(HASH_KEY.encode(), BSN.encode(), hashlib.sha256).hexdigest()
    assert identity.subject == expected
    assert BSN not in _all_text_in_the_database()

    # Next time: the same account, and no question about the area.
    browser.post(
        f"{live_server.url}/accounts/uitloggen/",
        data={"csrfmiddlewaretoken": browser.cookies.get("csrftoken", domain=None) or ""},
        timeout=30,
    )
    again = requests.Session()
    response = log_in_at_provider(
        again, f"{live_server.url}/accounts/digid/inloggen/", "inwoner", "provider-password-3"
    )
    assert response.url == f"{live_server.url}/"
    assert ExternalIdentity.objects.get(provider=ExternalIdentity.Provider.DIGID).user == user
    assert not User.objects.filter(username__startswith="digid-").exclude(pk=user.pk).exists()
