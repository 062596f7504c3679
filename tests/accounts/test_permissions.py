"""Who may open which accounts page: role × view × expected status, checked on the server."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "community_member",
    "youth_council",
    "advisory_member",
    "civil_servant",
    "administrator",
]
STAFF = {"civil_servant", "administrator"}


def _client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _expected(role, allowed):
    if role in allowed:
        return 200
    return 302 if role == "anonymous" else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("accounts:members", STAFF),
        ("accounts:codes", STAFF),
        ("accounts:profile", set(ROLES) - {"anonymous"}),
        ("accounts:redeem", set(ROLES) - {"anonymous"}),
    ],
)
def test_get_page(client, user_for_role, role, url_name, allowed):
    response = _client_for(client, user_for_role(role)).get(reverse(url_name))
    assert response.status_code == _expected(role, allowed)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_verify_member_page(client, user_for_role, resident, role):
    response = _client_for(client, user_for_role(role)).get(
        reverse("accounts:verify", args=[resident.pk])
    )
    assert response.status_code == _expected(role, STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_verify_member_action(client, user_for_role, resident, area, role):
    response = _client_for(client, user_for_role(role)).post(
        reverse("accounts:verify", args=[resident.pk]), {"area": area.pk}
    )
    verified = resident.verifications.filter(revoked_at__isnull=True).exists()
    assert verified == (role in STAFF)
    assert response.status_code == (302 if role in STAFF or role == "anonymous" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_issue_codes_action(client, user_for_role, area, role):
    from accounts.models import VerificationCode

    response = _client_for(client, user_for_role(role)).post(
        reverse("accounts:codes"), {"area": area.pk, "count": 2, "valid_days": 30}
    )
    assert VerificationCode.objects.exists() == (role in STAFF)
    assert response.status_code == _expected(role, STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_revoke_action(client, user_for_role, community_member, role):
    verification = community_member.verifications.get()
    response = _client_for(client, user_for_role(role)).post(
        reverse("accounts:revoke", args=[verification.pk]), {"reason": "verhuisd"}
    )
    verification.refresh_from_db()
    assert (verification.revoked_at is not None) == (role in STAFF)
    assert response.status_code in ({302} if role in STAFF | {"anonymous"} else {403})


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_administrators(client, user_for_role, role):
    response = _client_for(client, user_for_role(role)).get("/beheer/accounts/user/")
    if role == "administrator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302  # to the admin login


# --- Log-in pages: second factor, DigiD area, SSO and DigiD start/callback -------------------


@pytest.mark.parametrize("role", ROLES)
def test_second_factor_setup_page(client, user_for_role, role):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = user_for_role(role)
    before = TOTPDevice.objects.count()
    response = _client_for(client, user).get(reverse("accounts:second_factor_setup"))
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert TOTPDevice.objects.count() == before
    else:
        # Anyone logged in may set up (or replace, after the second step) an authenticator.
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_second_factor_page(client, user_for_role, role):
    response = _client_for(client, user_for_role(role)).get(reverse("accounts:second_factor"))
    assert response.status_code == 302
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))
    elif role in STAFF:
        # Already past the second step (see tests/conftest.py): on to the page asked for.
        assert response.url == reverse("home")
    else:
        # No authenticator yet: the check page sends them to the set-up.
        assert response.url.startswith(reverse("accounts:second_factor_setup"))


@pytest.mark.parametrize("role", ROLES)
def test_digid_area_page_and_action_need_a_digid_log_in(client, user_for_role, area, role):
    from accounts.models import MemberVerification

    before = MemberVerification.objects.count()
    client = _client_for(client, user_for_role(role))
    page = client.get(reverse("accounts:digid_area"))
    action = client.post(reverse("accounts:digid_area"), {"area": area.pk})
    for response in (page, action):
        assert response.status_code == 302
        expected = reverse("login") if role == "anonymous" else reverse("accounts:profile")
        assert response.url.startswith(expected)
    assert MemberVerification.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:oidc_staff_start",
        "accounts:oidc_staff_callback",
        "accounts:oidc_digid_start",
        "accounts:oidc_digid_callback",
    ],
)
def test_sso_and_digid_urls_are_absent_until_configured(client, user_for_role, role, url_name):
    response = _client_for(client, user_for_role(role)).get(reverse(url_name))
    assert response.status_code == 404
