import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import MemberVerification, Role, User, VerificationCode
from tests.accounts.otp import totp_token

pytestmark = pytest.mark.django_db


def test_issued_codes_are_shown_once_and_not_cached(client, civil_servant, area):
    client.force_login(civil_servant)
    response = client.post(
        reverse("accounts:codes"), {"area": area.pk, "count": 3, "valid_days": 30}
    )
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="verification-code"') == 3
    assert "no-store" in response["Cache-Control"]
    # The list afterwards shows only the last four characters.
    listing = client.get(reverse("accounts:codes")).content.decode()
    for code in VerificationCode.objects.all():
        assert f"…{code.suffix}" in listing


def test_issuing_too_many_codes_shows_the_form_error(client, civil_servant, area):
    client.force_login(civil_servant)
    response = client.post(
        reverse("accounts:codes"), {"area": area.pk, "count": 500, "valid_days": 30}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["count"]
    assert not VerificationCode.objects.exists()


def test_civil_servant_verifies_a_member_through_the_page(client, civil_servant, resident, area):
    client.force_login(civil_servant)
    response = client.post(
        reverse("accounts:verify", args=[resident.pk]), {"area": area.pk, "note": "buurthuis"}
    )
    assert response.status_code == 302
    verification = MemberVerification.objects.get(user=resident)
    assert verification.verified_by == civil_servant
    listing = client.get(reverse("accounts:members"), {"status": "verified"}).content.decode()
    assert "bewoner" in listing and "Bijlmer-Centrum" in listing


def test_a_staff_account_is_not_offered_for_verification(
    client, civil_servant, administrator, advisory_member, resident, area
):
    # given the member list, with a colleague's administrator account on it
    client.force_login(civil_servant)
    html = client.get(reverse("accounts:members")).content.decode()
    rows = {
        row.split("<td", 2)[1]: row for row in html.split('<tr class="utrecht-table__row">')[2:]
    }
    row = {name: next(r for cells, r in rows.items() if f">{name}" in cells) for name in (
        "beheerder", "adviseur", "bewoner",
    )}  # fmt: skip
    # then the list says the staff account never becomes a community member, and offers nothing
    assert 'data-testid="staff-account"' in row["beheerder"]
    assert reverse("accounts:verify", args=[administrator.pk]) not in row["beheerder"]
    # ... while an advisory member and a resident can be verified
    for name, user in (("adviseur", advisory_member), ("bewoner", resident)):
        assert reverse("accounts:verify", args=[user.pk]) in row[name]
    # and the verification page of the staff account explains it instead of showing a form
    page = client.get(reverse("accounts:verify", args=[administrator.pk])).content.decode()
    assert 'data-testid="staff-account"' in page and 'name="area"' not in page
    # posting anyway is still refused by the service, and writes nothing
    client.post(reverse("accounts:verify", args=[administrator.pk]), {"area": area.pk})
    assert not MemberVerification.objects.filter(user=administrator).exists()


def test_member_list_filters_unverified(client, civil_servant, community_member, resident):
    client.force_login(civil_servant)
    page = client.get(reverse("accounts:members"), {"status": "unverified"}).context["page"]
    usernames = {u.username for u in page}
    assert "bewoner" in usernames and "lid" not in usernames


def test_member_list_query_count_does_not_grow(
    client, civil_servant, area, django_assert_max_num_queries
):
    from tests.accounts.factories import UserFactory

    client.force_login(civil_servant)
    for i in range(30):
        UserFactory(username=f"extra{i}", roles=[Role.YOUTH_COUNCIL])
    # 12, plus the 2 fixed queries of the to-do count in a civil servant's menu (cached a minute).
    with django_assert_max_num_queries(12 + 2):
        client.get(reverse("accounts:members"))


def test_register_with_code_logs_in_a_verified_member(client, issue_code):
    code = issue_code()
    response = client.post(
        reverse("accounts:register"),
        {"code": code, "username": "nieuw", "password": "een-lang-wachtwoord-77"},
    )
    assert response.status_code == 302
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Lid van de gemeenschap" in profile
    assert User.objects.get(username="nieuw").has_role(Role.COMMUNITY_MEMBER)


@pytest.mark.parametrize(
    ("code_kind", "message"),
    [("unknown", "onbekend"), ("used", "al gebruikt")],
)
def test_register_with_a_bad_code_shows_the_error_on_the_code_field(
    client, issue_code, resident, code_kind, message
):
    from accounts import services

    code = issue_code()
    if code_kind == "used":
        services.redeem_verification_code(actor=resident, code=code)
    else:
        code = "ZZZZ-ZZZZ-ZZZZ"
    response = client.post(reverse("accounts:register"), {"code": code})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["code"])
    assert not User.objects.filter(username="nieuw").exists()


def test_register_with_a_weak_password_uses_no_code(client, issue_code):
    response = client.post(
        reverse("accounts:register"),
        {"code": issue_code(), "username": "nieuw", "password": "12345678"},
    )
    assert response.context["form"].errors["password"]
    assert not VerificationCode.objects.filter(used_at__isnull=False).exists()
    assert not User.objects.filter(username="nieuw").exists()


def test_logged_in_user_redeems_a_code(client, resident, issue_code):
    client.force_login(resident)
    response = client.post(reverse("accounts:redeem"), {"code": issue_code()})
    assert response.status_code == 302
    assert User.objects.get(pk=resident.pk).has_role(Role.COMMUNITY_MEMBER)


def test_login_logout_and_header_show_role(client, civil_servant):
    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    response = client.post(
        reverse("login"), {"username": "ambtenaar", "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 302
    response = client.post(reverse("accounts:second_factor"), {"token": totp_token(device)})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert 'data-testid="current-user">ambtenaar<' in home
    assert "Ambtenaar" in home
    client.post(reverse("logout"))
    assert "current-user" not in client.get("/").content.decode()


def test_repeated_failed_logins_lock_the_account(client, civil_servant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "ambtenaar", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "ambtenaar", "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()


def test_password_change(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery-9",
            "new_password1": "nieuw-wachtwoord-2026",
            "new_password2": "nieuw-wachtwoord-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=resident.pk).check_password("nieuw-wachtwoord-2026")


def test_password_reset_sends_a_dutch_mail_with_a_working_link(client, resident):
    resident.email = "bewoner@example.org"
    resident.save()
    client.post(reverse("password_reset"), {"email": "bewoner@example.org"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "herstellen" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/nieuw-wachtwoord/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.context["validlink"]
