"""The second factor for staff who log in with a password, through HTTP as a person does it."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from tests.accounts.enrolment import open_link
from tests.accounts.factories import UserFactory
from tests.accounts.otp import totp_token

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
STAFF_PAGES = ["/accounts/leden/", "/accounts/codes/", "/beheer/", "/intake/", "/"]


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was not accepted"
    return response


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_civil_servant_without_a_device_is_sent_to_the_set_up(client, civil_servant, path):
    log_in(client, civil_servant)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:second_factor_setup"))
    assert not TOTPDevice.objects.filter(user=civil_servant, confirmed=True).exists()


def test_administrator_needs_the_second_factor_for_the_django_admin(client, administrator):
    TOTPDevice.objects.create(user=administrator, name="app", confirmed=True)
    log_in(client, administrator)
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:second_factor"))
    assert response.url.endswith("?next=%2Fbeheer%2F")


def test_set_up_with_the_app_then_staff_pages_open(client, civil_servant):
    civil_servant.email = "ambtenaar@gemeente.example"
    civil_servant.save()
    log_in(client, civil_servant)
    open_link(client)  # the first set-up needs the e-mailed link (test_enrolment.py)
    page = client.get(reverse("accounts:second_factor_setup") + "?next=/accounts/leden/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=civil_servant, confirmed=False)
    shown_key = re.search(r'data-testid="totp-key">([^<]+)<', page.content.decode()).group(1)
    assert shown_key.replace(" ", "")  # the key to type over is on the page

    with freeze_time() as clock:
        # A wrong code is refused and confirms nothing.
        wrong = client.post(
            reverse("accounts:second_factor_setup"),
            {"token": "000000", "next": "/accounts/leden/"},
        )
        assert wrong.status_code == 200
        assert wrong.context["form"].errors["token"]
        assert client.get("/accounts/leden/").status_code == 302

        clock.tick(5)  # past the wait after one wrong code
        done = client.post(
            reverse("accounts:second_factor_setup"),
            {"token": totp_token(device), "next": "/accounts/leden/"},
        )
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10
    assert "no-store" in done["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/accounts/leden/").status_code == 200


def test_civil_servant_with_a_device_gets_in_with_a_valid_code(client, civil_servant):
    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    log_in(client, civil_servant)
    response = client.get("/accounts/leden/")
    assert response.url == f"{reverse('accounts:second_factor')}?next=%2Faccounts%2Fleden%2F"

    with freeze_time() as clock:
        wrong = client.post(
            reverse("accounts:second_factor"), {"token": "123456", "next": "/accounts/leden/"}
        )
        assert wrong.status_code == 200
        assert "Deze code klopt niet" in wrong.content.decode()
        assert client.get("/accounts/leden/").status_code == 302

        clock.tick(5)
        right = client.post(
            reverse("accounts:second_factor"),
            {"token": totp_token(device), "next": "/accounts/leden/"},
        )
    assert right.status_code == 302
    assert right.url == "/accounts/leden/"
    assert client.get("/accounts/leden/").status_code == 200


def test_the_same_app_code_cannot_be_used_twice(client, civil_servant):
    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    token = totp_token(device)
    log_in(client, civil_servant)
    assert client.post(reverse("accounts:second_factor"), {"token": token}).status_code == 302
    client.post(reverse("logout"))
    log_in(client, civil_servant)
    again = client.post(reverse("accounts:second_factor"), {"token": token})
    assert again.status_code == 200
    assert client.get("/accounts/leden/").status_code == 302


def test_a_recovery_code_works_once(client, civil_servant):
    from accounts.second_factor import new_recovery_codes

    TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    codes = new_recovery_codes(user=civil_servant)
    log_in(client, civil_servant)
    first = client.post(reverse("accounts:second_factor"), {"token": codes[0].upper()})
    assert first.status_code == 302
    assert client.get("/accounts/leden/").status_code == 200
    assert StaticToken.objects.filter(device__user=civil_servant).count() == 9

    client.post(reverse("logout"))
    log_in(client, civil_servant)
    second = client.post(reverse("accounts:second_factor"), {"token": codes[0]})
    assert second.status_code == 200
    assert client.get("/accounts/leden/").status_code == 302


@pytest.mark.parametrize("fixture", ["community_member", "resident", "advisory_member"])
def test_residents_need_no_second_factor(client, request, fixture):
    user = request.getfixturevalue(fixture)
    log_in(client, user)
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_superuser_without_a_role_needs_it_too(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    log_in(client, user)
    assert client.get("/beheer/").url.startswith(reverse("accounts:second_factor_setup"))


@pytest.fixture
def external_log_ins_on(settings):
    settings.OIDC_STAFF_ISSUER = "https://idp.example/realms/x"
    settings.OIDC_STAFF_CLIENT_ID = "burgerkracht"
    settings.DIGID_OIDC_ISSUER = "https://broker.example/realms/digid"
    settings.DIGID_OIDC_CLIENT_ID = "burgerkracht"


def test_staff_logged_in_through_the_municipal_sso_skip_it(
    client, civil_servant, external_log_ins_on
):
    client.force_login_without_second_factor(
        civil_servant, backend="accounts.oidc.StaffOIDCBackend"
    )
    assert client.get("/accounts/leden/").status_code == 200


def test_staff_logged_in_with_digid_still_need_it(client, civil_servant, external_log_ins_on):
    client.force_login_without_second_factor(
        civil_servant, backend="accounts.oidc.DigiDOIDCBackend"
    )
    response = client.get("/accounts/leden/")
    assert response.url.startswith(reverse("accounts:second_factor_setup"))


def test_the_next_address_cannot_lead_off_site(client, civil_servant):
    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    log_in(client, civil_servant)
    response = client.post(
        reverse("accounts:second_factor"),
        {"token": totp_token(device), "next": "https://evil.example/"},
    )
    assert response.url == reverse("home")


def test_wrong_codes_slow_down_guessing(client, civil_servant):
    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    log_in(client, civil_servant)
    with freeze_time() as clock:
        for _ in range(3):
            client.post(reverse("accounts:second_factor"), {"token": "000000"})
            clock.tick(60)
        device.refresh_from_db()
        assert device.throttling_failure_count == 3
        # Three failures: a wait of 4 s, in which even the right code is refused.
        clock.tick(-60 + 1)
        refused = client.post(reverse("accounts:second_factor"), {"token": totp_token(device)})
        assert refused.status_code == 200
        assert client.get("/accounts/leden/").status_code == 302
        clock.tick(10)
        accepted = client.post(reverse("accounts:second_factor"), {"token": totp_token(device)})
        assert accepted.status_code == 302


def test_a_csp_report_is_taken_before_the_second_factor(client, civil_servant, caplog):
    """The set-up page's browser may report a policy violation before the code is typed: the
    report is logged, not redirected to the set-up (a browser does not follow it)."""
    log_in(client, civil_servant)
    report = '{"csp-report": {"violated-directive": "style-src", "document-uri": "/x/"}}'
    with caplog.at_level("WARNING"):
        response = client.post(reverse("csp_report"), report, content_type="application/csp-report")
    assert response.status_code == 204
    assert "CSP violation" in caplog.text and "style-src" in caplog.text
    assert client.get("/accounts/leden/").status_code == 302  # the rest stays closed


STAFF_MENU = ('data-testid="todo-link"', 'href="/intake/"', 'href="/accounts/leden/"')


def test_before_the_second_factor_the_menu_shows_no_staff_pages(client, civil_servant):
    # given a civil servant who typed the password but not yet the code
    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    log_in(client, civil_servant)
    # then the code page shows neither the staff pages nor the number of tasks in its menu
    waiting = client.get(reverse("accounts:second_factor")).content.decode()
    for mark in STAFF_MENU:
        assert mark not in waiting, mark
    assert 'data-testid="todo-count"' not in waiting
    # when the code is right, the same menu shows them
    with freeze_time():
        client.post(reverse("accounts:second_factor"), {"token": totp_token(device), "next": "/"})
        home = client.get("/").content.decode()
    for mark in STAFF_MENU:
        assert mark in home, mark


def test_before_the_second_factor_the_header_shows_a_log_in_under_way_not_a_user(
    client, civil_servant
):
    """Look review 2026-12-06, 19: the code page's header said "ambtenaar (Ambtenaar) ·
    Uitloggen", as if the person were logged in before the code was given."""
    # given a civil servant who typed the password but not yet the code
    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    log_in(client, civil_servant)
    # then the header names nobody and offers only to cancel the log-in
    waiting = client.get(reverse("accounts:second_factor")).content.decode()
    header = waiting[waiting.index("<header") : waiting.index("</header>")]
    assert civil_servant.username not in header
    for mark in (
        'data-testid="current-user"',
        'data-testid="current-roles"',
        'data-testid="logout"',
    ):
        assert mark not in header, mark
    assert 'data-testid="cancel-login">Inloggen afbreken<' in header
    # when the code is right, the header names the person with the log-out
    with freeze_time():
        client.post(reverse("accounts:second_factor"), {"token": totp_token(device), "next": "/"})
        home = client.get("/").content.decode()
    header = home[home.index("<header") : home.index("</header>")]
    assert 'data-testid="current-user">' + civil_servant.username in header
    assert 'data-testid="logout"' in header and "cancel-login" not in header


def test_cancelling_the_log_in_at_the_second_step_logs_out(client, civil_servant):
    TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    log_in(client, civil_servant)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert 'data-testid="login"' in client.get("/").content.decode()


def test_the_person_hears_by_e_mail_that_an_authenticator_was_set_up(
    client, civil_servant, mailoutbox, django_capture_on_commit_callbacks
):
    """Security review 2026-12-06, S5: the first authenticator (or the one after a lost phone)
    needs the link e-mailed to the person (tests/accounts/test_enrolment.py); the person also
    hears at once that one was set up, by e-mail too, whatever they chose to receive."""
    from notifications.models import Channel, Kind, Notification, Preference  # noqa: PLC0415 - here only

    civil_servant.email = "ambtenaar@gemeente.example"
    civil_servant.save()
    Preference.objects.update_or_create(
        user=civil_servant, defaults={"email_frequency": Preference.Frequency.NEVER}
    )
    log_in(client, civil_servant)
    open_link(client)
    mailoutbox.clear()  # the link itself
    client.get(reverse("accounts:second_factor_setup"))
    device = TOTPDevice.objects.get(user=civil_servant, confirmed=False)
    # a wrong code tells nobody anything
    client.post(reverse("accounts:second_factor_setup"), {"token": "000000"})
    assert not Notification.objects.exists()
    with freeze_time() as clock, django_capture_on_commit_callbacks(execute=True):
        clock.tick(5)
        client.post(reverse("accounts:second_factor_setup"), {"token": totp_token(device)})
    told = Notification.objects.filter(user=civil_servant, event__kind=Kind.AUTHENTICATOR_SET)
    assert set(told.values_list("channel", flat=True)) == {Channel.SITE, Channel.EMAIL}
    assert [m.to for m in mailoutbox] == [[civil_servant.email]]
    assert "Was u dat niet?" in mailoutbox[0].body
