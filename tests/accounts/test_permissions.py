"""Who may open which accounts page: role × view × expected status, checked on the server."""

import pytest
from django.urls import reverse

from tests.roles import ACCOUNT_ROLES, STAFF, expected_status, login_as

pytestmark = pytest.mark.django_db

# Who makes voters (verifies members, hands out codes): a civil servant, never an administrator
# (DESIGN.md; security review 2026-12-06, S2).
MAKES_VOTERS = {"civil_servant"}


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("accounts:members", STAFF),
        ("accounts:codes", MAKES_VOTERS),
        ("accounts:profile", set(ACCOUNT_ROLES) - {"anonymous"}),
        # Four eyes: a staff account never redeems a verification code.
        ("accounts:redeem", set(ACCOUNT_ROLES) - {"anonymous"} - STAFF),
        ("accounts:batches", STAFF),
        ("accounts:welcome", set(ACCOUNT_ROLES) - {"anonymous"}),
    ],
)
def test_get_page(client, user_for_role, role, url_name, allowed):
    response = login_as(client, user_for_role(role)).get(reverse(url_name))
    assert response.status_code == expected_status(role, allowed)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_verify_member_page(client, user_for_role, resident, role):
    response = login_as(client, user_for_role(role)).get(
        reverse("accounts:verify", args=[resident.pk])
    )
    assert response.status_code == expected_status(role, MAKES_VOTERS)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_verify_member_action(client, user_for_role, resident, area, role):
    response = login_as(client, user_for_role(role)).post(
        reverse("accounts:verify", args=[resident.pk]), {"area": area.pk}
    )
    verified = resident.verifications.filter(revoked_at__isnull=True).exists()
    assert verified == (role in MAKES_VOTERS)
    assert response.status_code == (302 if role in MAKES_VOTERS or role == "anonymous" else 403)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_issue_codes_action(client, user_for_role, area, role):
    from accounts.models import VerificationCode

    response = login_as(client, user_for_role(role)).post(
        reverse("accounts:codes"), {"area": area.pk, "count": 2, "valid_days": 30}
    )
    assert VerificationCode.objects.exists() == (role in MAKES_VOTERS)
    assert response.status_code == expected_status(role, MAKES_VOTERS)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_revoke_action(client, user_for_role, community_member, role):
    verification = community_member.verifications.get()
    response = login_as(client, user_for_role(role)).post(
        reverse("accounts:revoke", args=[verification.pk]), {"reason": "verhuisd"}
    )
    verification.refresh_from_db()
    assert (verification.revoked_at is not None) == (role in MAKES_VOTERS)
    assert response.status_code in ({302} if role in MAKES_VOTERS | {"anonymous"} else {403})


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_admin_site_is_for_administrators(client, user_for_role, role):
    response = login_as(client, user_for_role(role)).get("/beheer/accounts/user/")
    if role == "administrator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302  # to the admin login


# --- Log-in pages: second factor, DigiD area, SSO and DigiD start/callback -------------------


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_second_factor_setup_page(client, user_for_role, role):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = login_as(client, user_for_role(role))
    before = TOTPDevice.objects.count()
    response = client.get(reverse("accounts:second_factor_setup"))
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert TOTPDevice.objects.count() == before
    else:
        # Anyone logged in may open it. A key is shown to replace an authenticator after the
        # second step (staff, see tests/conftest.py); a first one needs the e-mailed link, so
        # without it no key is shown and no device made (security review 2026-12-06, S5).
        assert response.status_code == 200
        shows_key = 'data-testid="totp-key"' in response.content.decode()
        assert shows_key == (role in STAFF)
        assert TOTPDevice.objects.count() == before + (1 if role in STAFF else 0)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_second_factor_setup_post_without_the_link(client, user_for_role, role):
    """A code posted by a session that was shown no key confirms nothing, for any role."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = user_for_role(role)
    if user is not None:
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    login_as(client, user)  # staff: past the second step (tests/conftest.py)
    confirmed = set(TOTPDevice.objects.filter(confirmed=True))
    response = client.post(reverse("accounts:second_factor_setup"), {"token": "123456"})
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))
    elif role in STAFF:
        assert response.status_code == 200  # past the second step: a wrong code, form error
    else:
        assert response.status_code == 403
    assert set(TOTPDevice.objects.filter(confirmed=True)) == confirmed


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_enrolment_link_request(client, user_for_role, role, mailoutbox):
    """ "Send me the link": only for a signed-in person with an address and no authenticator;
    the e-mail goes to their own address."""
    user = user_for_role(role)
    if user is not None:
        user.email = f"{role}@example.org"
        user.save()
    response = login_as(client, user).post(reverse("accounts:second_factor_enrolment_request"))
    assert response.status_code == 302
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))
        assert mailoutbox == []
    elif role in STAFF:
        assert mailoutbox == []  # they have an authenticator already (tests/conftest.py)
    else:
        assert [message.to for message in mailoutbox] == [[user.email]]


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_enrolment_link_page_with_someone_else_s_link(client, user_for_role, role):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts import enrolment
    from tests.accounts.factories import UserFactory

    owner = UserFactory(username="eigenaar", email="e@gemeente.example")
    link = reverse(
        "accounts:second_factor_enrolment",
        args=[urlsafe_base64_encode(force_bytes(owner.pk)), enrolment.tokens.make_token(owner)],
    )
    response = login_as(client, user_for_role(role)).get(link)
    if role == "anonymous":
        # The link holder logs in next; only the owner's log-in then sees a key.
        assert response.url == f"{reverse('login')}?next={reverse('accounts:second_factor_setup')}"
    else:
        assert response.status_code == 403
        assert enrolment.PROOF_SESSION_KEY not in client.session


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_second_factor_page(client, user_for_role, role):
    response = login_as(client, user_for_role(role)).get(reverse("accounts:second_factor"))
    assert response.status_code == 302
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))
    elif role in STAFF:
        # Already past the second step (see tests/conftest.py): on to the page asked for.
        assert response.url == reverse("home")
    else:
        # No authenticator yet: the check page sends them to the set-up.
        assert response.url.startswith(reverse("accounts:second_factor_setup"))


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_digid_area_page_and_action_need_a_digid_log_in(client, user_for_role, area, role):
    from accounts.models import MemberVerification

    before = MemberVerification.objects.count()
    client = login_as(client, user_for_role(role))
    page = client.get(reverse("accounts:digid_area"))
    action = client.post(reverse("accounts:digid_area"), {"area": area.pk})
    for response in (page, action):
        assert response.status_code == 302
        expected = reverse("login") if role == "anonymous" else reverse("accounts:profile")
        assert response.url.startswith(expected)
    assert MemberVerification.objects.count() == before


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
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
    response = login_as(client, user_for_role(role)).get(reverse(url_name))
    assert response.status_code == 404


@pytest.fixture
def large_batch(db, area, settings):
    """A batch above the approval limit, asked for by a civil servant other than the fixtures'."""
    from accounts import services
    from accounts.models import Role
    from tests.accounts.factories import UserFactory

    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 1
    issuer = UserFactory(username="uitgever", roles=[Role.CIVIL_SERVANT])
    return services.request_code_batch(area=area, count=2, actor=issuer)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_batch_page(client, user_for_role, large_batch, role):
    response = login_as(client, user_for_role(role)).get(
        reverse("accounts:batch", args=[large_batch.pk])
    )
    assert response.status_code == expected_status(role, STAFF)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_approve_batch_action(client, user_for_role, large_batch, role):
    response = login_as(client, user_for_role(role)).post(
        reverse("accounts:batch_approve", args=[large_batch.pk])
    )
    large_batch.refresh_from_db()
    # Only a civil servant approves (administrators manage users, not codes).
    assert (large_batch.approved_at is not None) == (role == "civil_servant")
    assert response.status_code == (302 if role in {"civil_servant", "anonymous"} else 403)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_print_batch_action(client, user_for_role, large_batch, role):
    # Approved, but only its issuer may print it: every role here is refused and nothing is made.
    from accounts import services
    from accounts.models import Role, VerificationCode
    from tests.accounts.factories import UserFactory

    approver = UserFactory(username="goedkeurder", roles=[Role.CIVIL_SERVANT])
    services.approve_code_batch(batch=large_batch, actor=approver)
    response = login_as(client, user_for_role(role)).post(
        reverse("accounts:batch_print", args=[large_batch.pk])
    )
    assert not VerificationCode.objects.exists()
    large_batch.refresh_from_db()
    assert large_batch.printed_at is None
    assert response.status_code == (302 if role in MAKES_VOTERS | {"anonymous"} else 403)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_redeem_action(client, user_for_role, issue_code, role):
    from accounts.models import VerificationCode

    code = issue_code()
    user = user_for_role(role)
    response = login_as(client, user).post(reverse("accounts:redeem"), {"code": code})
    used = VerificationCode.objects.get(suffix=code.replace("-", "")[-4:]).used_by
    if role in {"advisory_member"}:
        # An unverified resident account: the code verifies it.
        assert used == user and response.status_code == 302
    else:
        # Anonymous: to the log-in page; staff: refused; members: already verified (form error).
        assert used is None
        assert response.status_code == {"anonymous": 302, "civil_servant": 403}.get(
            role, 403 if role == "administrator" else 200
        )


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_register_page(client, user_for_role, role):
    # Only for visitors without an account: a signed-in person is sent on, never to a 2nd account.
    response = login_as(client, user_for_role(role)).get(reverse("accounts:register"))
    if role == "anonymous":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        expected = "accounts:profile" if role in STAFF else "accounts:redeem"
        assert response.url == reverse(expected)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_keep_alive_action(client, user_for_role, role):
    # Every signed-in role may keep its own session; an anonymous visitor goes to log in.
    response = login_as(client, user_for_role(role)).post(
        reverse("accounts:keep_alive"), {"next": "/"}
    )
    assert response.status_code == 302
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))
    else:
        assert response.url == "/"
