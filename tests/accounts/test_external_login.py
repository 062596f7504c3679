"""The services and views behind SSO and DigiD log-in (the full flow: tests/integration)."""

import hashlib
import hmac

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import oidc, services
from accounts.models import ExternalIdentity, MemberVerification, Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def digid_key(settings):
    settings.DIGID_OIDC_ISSUER = "https://broker.example/realms/digid"
    settings.DIGID_OIDC_CLIENT_ID = "burgerkracht"
    settings.DIGID_BSN_HASH_KEY = "key-for-tests"
    return settings.DIGID_BSN_HASH_KEY


def test_an_sso_log_in_never_takes_over_a_local_account_with_the_same_e_mail(administrator):
    administrator.email = "r.admin@gemeente.example"
    administrator.save()
    user = services.user_for_staff_sso(
        subject="abc-123", username="beheerder", email="r.admin@gemeente.example"
    )
    assert user.pk != administrator.pk
    assert user.username == "beheerder-2"
    assert user.roles == [] and not user.is_staff and not user.has_usable_password()


def test_the_same_sso_subject_finds_the_same_account_and_updates_its_e_mail():
    first = services.user_for_staff_sso(subject="abc-123", username="s.jansen", email="a@x.nl")
    again = services.user_for_staff_sso(subject="abc-123", username="other", email="b@x.nl")
    assert again.pk == first.pk
    again.refresh_from_db()
    assert again.email == "b@x.nl" and again.username == "s.jansen"


def test_digid_keeps_only_a_keyed_hash_of_the_bsn(digid_key):
    user = services.user_for_digid(bsn="999993653")
    identity = ExternalIdentity.objects.get(user=user)
    assert identity.subject == hmac.new(b"key-for-tests", b"999993653", hashlib.sha256).hexdigest()
    assert "999993653" not in identity.subject + user.username
    assert services.user_for_digid(bsn="999993653").pk == user.pk
    assert services.user_for_digid(bsn="999993665").pk != user.pk


def test_digid_verification_records_the_method_and_grants_membership(digid_key, area):
    user = services.user_for_digid(bsn="999993653")
    verification = services.verify_with_digid(user=user, area=area, actor=user)
    assert verification.method == MemberVerification.Method.DIGID
    assert verification.verified_by is None
    assert user.has_role(Role.COMMUNITY_MEMBER)
    with pytest.raises(ValidationError):
        services.verify_with_digid(user=user, area=area, actor=user)
    assert MemberVerification.objects.filter(user=user).count() == 1


def test_digid_verification_is_refused_without_a_digid_identity(resident, area):
    with pytest.raises(ValidationError):
        services.verify_with_digid(user=resident, area=area, actor=resident)
    assert not MemberVerification.objects.filter(user=resident).exists()


def test_digid_area_page_works_only_in_a_digid_session(client, digid_key, area):
    user = services.user_for_digid(bsn="999993653")
    client.force_login_without_second_factor(user, backend="accounts.oidc.DigiDOIDCBackend")
    page = client.get(reverse("accounts:digid_area"))
    assert page.status_code == 200
    assert "Waar woont u?" in page.content.decode()
    bad = client.post(reverse("accounts:digid_area"), {"area": "not-a-number"})
    assert bad.status_code == 200 and bad.context["form"].errors["area"]
    assert not MemberVerification.objects.exists()
    done = client.post(reverse("accounts:digid_area"), {"area": area.pk})
    assert done.url == reverse("accounts:profile")
    assert MemberVerification.objects.get().method == MemberVerification.Method.DIGID


def test_an_unreachable_identity_provider_gives_a_message_not_an_error(client, settings):
    settings.OIDC_STAFF_ISSUER = "http://127.0.0.1:9/openid"  # nothing listens on port 9
    settings.OIDC_STAFF_CLIENT_ID = "burgerkracht"
    settings.OIDC_TIMEOUT = 2
    oidc._discovery.clear()
    response = client.get(reverse("accounts:oidc_staff_start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Op deze manier inloggen kan nu niet" in response.content.decode()


def test_the_log_in_page_shows_the_buttons_only_when_configured(client, settings):
    page = client.get(reverse("login")).content.decode()
    assert "staff-sso-login" not in page and "digid-login" not in page
    settings.OIDC_STAFF_ISSUER = settings.DIGID_OIDC_ISSUER = "https://idp.example/realms/x"
    settings.OIDC_STAFF_CLIENT_ID = settings.DIGID_OIDC_CLIENT_ID = "burgerkracht"
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met DigiD" in page
    assert "Inloggen als medewerker van de gemeente" in page


def test_a_deactivated_sso_account_loses_its_session(client, settings):
    settings.OIDC_STAFF_ISSUER = "https://idp.example/realms/x"
    settings.OIDC_STAFF_CLIENT_ID = "burgerkracht"
    user = services.user_for_staff_sso(subject="abc-123", username="s.jansen")
    client.force_login(user, backend="accounts.oidc.StaffOIDCBackend")
    assert client.get(reverse("accounts:profile")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_switching_sso_off_ends_its_sessions(client, settings):
    settings.OIDC_STAFF_ISSUER = "https://idp.example/realms/x"
    settings.OIDC_STAFF_CLIENT_ID = "burgerkracht"
    user = services.user_for_staff_sso(subject="abc-123", username="s.jansen")
    client.force_login(user, backend="accounts.oidc.StaffOIDCBackend")
    settings.OIDC_STAFF_CLIENT_ID = ""
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.parametrize("staff", ["civil_servant", "admin_flag"])
def test_a_staff_account_cannot_make_itself_a_member_with_digid(digid_key, area, staff):
    # Four eyes, as with a code or a civil servant's check: a DigiD account that was given a
    # staff role (or the admin flag) never makes itself a community member.
    user = services.user_for_digid(bsn="999993653")
    if staff == "civil_servant":
        user.groups.add(Group.objects.get(name=Role.CIVIL_SERVANT.value))
    else:
        user.is_staff = True
        user.save()
    user = type(user).objects.get(pk=user.pk)  # forget the cached roles
    with pytest.raises(ValidationError) as refused:
        services.verify_with_digid(user=user, area=area, actor=user)
    assert refused.value.code == "staff"
    assert not MemberVerification.objects.filter(user=user).exists()


@pytest.mark.parametrize("backend", [oidc.StaffOIDCBackend, oidc.DigiDOIDCBackend])
def test_an_sso_session_reads_its_user_and_their_roles_in_one_query(settings, backend):
    settings.OIDC_STAFF_ISSUER = settings.DIGID_OIDC_ISSUER = "https://idp.example/realms/x"
    settings.OIDC_STAFF_CLIENT_ID = settings.DIGID_OIDC_CLIENT_ID = "burgerkracht"
    user = UserFactory(roles=[Role.CIVIL_SERVANT])
    with CaptureQueriesContext(connection) as queries:
        got = backend().get_user(str(user.pk))  # the session keeps the id as text
        assert got == user
        assert [role.value for role in got.roles] == [Role.CIVIL_SERVANT.value]
        assert got.has_perm("accounts.list_members")
        assert not got.has_perm("sroi.delete_ledgerentry")
    assert len(queries) == 1
    assert backend().get_user(10**9) is None
