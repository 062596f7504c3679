"""The first authenticator is set up only through a link e-mailed to the person's own address
(security review 2026-12-06, S5): the password alone shows no key and confirms nothing."""

import json
import re
import smtplib
from base64 import b32encode
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import enrolment
from accounts.models import Role
from tests.accounts.enrolment import ask_for_link, link_in, open_link
from tests.accounts.factories import UserFactory
from tests.accounts.otp import totp_token

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
SETUP = "/accounts/tweede-stap/instellen/"
STAFF_PAGE = "/accounts/leden/"


@pytest.fixture
def staff(civil_servant):
    civil_servant.email = "sanne.jansen@gemeente.example"
    civil_servant.save()
    return civil_servant


def log_in(client, user, password=PASSWORD):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, "the password was not accepted"
    return response


def shows_a_key(response) -> bool:
    html = response.content.decode()
    return 'data-testid="totp-key"' in html or "<svg" in html


def shown_key(response) -> str:
    html = response.content.decode()
    return re.search(r'data-testid="totp-key">([^<]+)<', html).group(1).replace(" ", "")


def confirm_with_the_shown_key(client, page):
    """Type the first code of the key on `page`, as the app computes it."""
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    assert shown_key(page) == b32encode(device.bin_key).decode()
    return client.post(SETUP, {"token": totp_token(device)})


# --- The password alone ----------------------------------------------------------------------


def test_with_the_password_alone_the_set_up_page_shows_no_key_and_no_qr_code(client, staff):
    # given someone who knows the password of a staff account without an authenticator
    log_in(client, staff)
    # when they open the set-up page
    page = client.get(SETUP)
    # then it offers the link by e-mail and shows no key, no QR code, and makes no device
    assert page.status_code == 200
    assert not shows_a_key(page)
    html = page.content.decode()
    assert "s•••@gemeente.example" in html
    assert "Stuur mij de link" in html
    assert "no-store" in page["Cache-Control"]
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert client.get(STAFF_PAGE).status_code == 302


def test_with_the_password_alone_a_valid_code_of_any_device_confirms_nothing(client, staff):
    # given authenticators that wait for their first code (as an older set-up page left them),
    # whose keys the attacker knows
    waiting = [
        TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=False),
        TOTPDevice.objects.create(user=staff, name="telefoon", confirmed=False),
    ]
    log_in(client, staff)
    client.get(SETUP)
    for device in TOTPDevice.objects.filter(user=staff):
        # when the right code of each is posted with the password alone
        with freeze_time():
            response = client.post(SETUP, {"token": totp_token(device)})
        # then it is refused, and nothing is confirmed or shown
        assert response.status_code == 403
        assert not shows_a_key(response)
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert set(TOTPDevice.objects.filter(user=staff)) == set(waiting)
    assert not StaticToken.objects.filter(device__user=staff).exists()
    assert client.get(STAFF_PAGE).status_code == 302


def test_an_account_without_an_e_mail_address_is_told_to_ask_a_civil_servant(client, civil_servant):
    assert not civil_servant.email
    log_in(client, civil_servant)
    page = client.get(SETUP)
    html = page.content.decode()
    assert "medewerker van de gemeente" in html
    assert "Stuur mij de link" not in html
    assert not shows_a_key(page)
    client.post(reverse("accounts:second_factor_enrolment_request"))
    assert mail.outbox == []


# --- The e-mail and the link -----------------------------------------------------------------


def test_the_e_mail_goes_to_the_account_s_own_address_and_holds_a_working_link(client, staff):
    log_in(client, staff)
    sent = client.post(reverse("accounts:second_factor_enrolment_request"), {"next": STAFF_PAGE})
    assert sent.status_code == 302
    assert sent.url == f"{SETUP}?next=%2Faccounts%2Fleden%2F"
    assert "s•••@gemeente.example" in client.get(sent.url).content.decode()  # "we sent a link"

    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert "tweede stap" in message.subject
    assert "72 uur" in message.body
    assert "Hebt u hier niet om gevraagd?" in message.body
    assert staff.username in message.body
    (html, kind), *_ = message.alternatives
    assert kind == "text/html"
    path = link_in(message)
    assert f'{path}"' in html  # the button's address

    opened = client.get(path)
    assert opened.status_code == 302
    assert opened.url == SETUP  # the token leaves the address bar
    assert opened["Referrer-Policy"] == "no-referrer"
    page = client.get(SETUP)
    assert shows_a_key(page)


def test_the_e_mail_is_in_the_language_of_the_page(client, staff):
    log_in(client, staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    ask_for_link(client)
    (message,) = mail.outbox
    assert message.subject == "Your link to set up the second step of logging in"
    assert "The link works for 72 hours, and for one set-up only." in message.body


def test_the_answer_is_the_same_when_the_mail_server_fails(client, staff, monkeypatch):
    log_in(client, staff)
    answers = []
    for fails in (False, True):
        if fails:

            def refuse(self, fail_silently=False):
                raise smtplib.SMTPServerDisconnected("gone")

            monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        sent = client.post(reverse("accounts:second_factor_enrolment_request"))
        page = client.get(sent.url)
        said = [str(message) for message in page.context["messages"]]
        answers.append((sent.status_code, sent.url, page.status_code, said))
    assert answers[0] == answers[1]
    assert len(mail.outbox) == 1


def test_sending_the_link_is_limited_per_account(client, staff, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "enrolment_link": "5/h"}
    log_in(client, staff)
    for _ in range(5):
        assert client.post(reverse("accounts:second_factor_enrolment_request")).status_code == 302
    refused = client.post(reverse("accounts:second_factor_enrolment_request"))
    assert refused.status_code == 429
    assert len(mail.outbox) == 5
    # another account is not held back by it
    other = UserFactory(username="collega", email="k@gemeente.example", roles=[Role.CIVIL_SERVANT])
    colleague = Client()
    log_in(colleague, other)
    assert colleague.post(reverse("accounts:second_factor_enrolment_request")).status_code == 302
    assert len(mail.outbox) == 6


def test_the_link_of_one_account_does_not_work_for_another(client, staff):
    # given the link of one civil servant
    log_in(client, staff)
    path = ask_for_link(client)
    # when another staff member, logged in with their password, opens it
    other = UserFactory(username="collega", email="k@gemeente.example", roles=[Role.CIVIL_SERVANT])
    intruder = Client()
    log_in(intruder, other)
    refused = intruder.get(path)
    # then it is refused without saying whose link it is, and their set-up shows no key
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "ander account" in html
    assert staff.email not in html and "s•••" not in html
    assert not shows_a_key(intruder.get(SETUP))
    assert not TOTPDevice.objects.exists()
    # and the link still works for its own account
    assert client.get(path).url == SETUP
    assert shows_a_key(client.get(SETUP))


def test_a_link_opened_before_logging_in_as_another_account_proves_nothing(client, staff):
    sender = Client()
    log_in(sender, staff)
    path = ask_for_link(sender)
    other = UserFactory(username="collega", email="k@gemeente.example", roles=[Role.CIVIL_SERVANT])
    client.get(path)  # not logged in yet
    log_in(client, other)
    page = client.get(SETUP)
    assert not shows_a_key(page)
    assert "ander account" in page.content.decode()


def test_opening_the_link_before_logging_in_leads_through_the_log_in(client, staff):
    sender = Client()
    log_in(sender, staff)
    path = ask_for_link(sender)
    token = path.rstrip("/").rsplit("/", 1)[1]
    # a browser that is not logged in opens the link
    opened = client.get(path)
    assert opened.status_code == 302
    assert opened.url == f"{reverse('login')}?next={SETUP}"
    assert token not in opened.url  # never handed on to the log-in page
    assert opened["Referrer-Policy"] == "no-referrer"
    # after the password, the set-up shows the key
    log_in(client, staff)
    assert shows_a_key(client.get(SETUP))


def test_an_expired_link_is_refused(client, staff):
    with freeze_time("2026-12-08 09:00:00") as clock:
        log_in(client, staff)
        path = ask_for_link(client)
        clock.tick(timedelta(hours=72, seconds=1))
        log_in(client, staff)  # the session itself would have ended by now
        refused = client.get(path)
        assert refused.status_code == 200
        html = refused.content.decode()
        assert "Deze link werkt niet meer" in html
        assert "Stuur mij de link" in html  # the button for a new one
        assert not shows_a_key(client.get(SETUP))


def test_a_link_works_until_its_last_hour(client, staff, settings):
    settings.SECOND_FACTOR_ENROLMENT_HOURS = 2
    with freeze_time("2026-12-08 09:00:00") as clock:
        log_in(client, staff)
        path = ask_for_link(client)
        clock.tick(timedelta(hours=1, minutes=59))
        log_in(client, staff)  # the session itself ended after an hour without a request
        assert client.get(path).url == SETUP
        assert shows_a_key(client.get(SETUP))


def test_the_link_stops_working_once_an_authenticator_was_confirmed(client, staff):
    log_in(client, staff)
    path = ask_for_link(client)
    assert client.get(path).url == SETUP
    page = client.get(SETUP)
    with freeze_time():
        done = confirm_with_the_shown_key(client, page)
    assert done.status_code == 200
    # someone else with the password and the same e-mail gets nothing from it
    intruder = Client()
    log_in(intruder, staff)
    again = intruder.get(path)
    assert again.status_code == 200
    assert "Deze link werkt niet meer" in again.content.decode()
    assert intruder.get(STAFF_PAGE).url.startswith(reverse("accounts:second_factor"))
    assert TOTPDevice.objects.filter(user=staff).count() == 1


@pytest.mark.parametrize("change", ["password", "email"])
def test_the_link_stops_working_after_a_password_or_e_mail_change(client, staff, change):
    log_in(client, staff)
    path = ask_for_link(client)
    if change == "password":
        staff.set_password("een-ander-wachtwoord-7")
    else:
        staff.email = "iemand.anders@example.org"
    staff.save()
    log_in(client, staff, "een-ander-wachtwoord-7" if change == "password" else PASSWORD)
    refused = client.get(path)
    assert "Deze link werkt niet meer" in refused.content.decode()
    assert not shows_a_key(client.get(SETUP))


def test_a_proof_in_the_session_ends_when_the_e_mail_address_changes(client, staff):
    log_in(client, staff)
    open_link(client)
    staff.email = "nieuw@gemeente.example"
    staff.save()
    assert not shows_a_key(client.get(SETUP))


def test_a_key_made_before_the_link_was_opened_is_never_the_one_confirmed(client, staff):
    known = TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=False)
    log_in(client, staff)
    open_link(client)
    page = client.get(SETUP)
    assert not TOTPDevice.objects.filter(pk=known.pk).exists()
    assert shown_key(page) != known.key


# --- The whole path --------------------------------------------------------------------------


def test_link_scan_code_and_recovery_codes(client, staff):
    log_in(client, staff)
    client.get(f"{SETUP}?next={STAFF_PAGE}")
    sent = client.post(reverse("accounts:second_factor_enrolment_request"), {"next": STAFF_PAGE})
    assert client.get(link_in(mail.outbox[-1])).url == SETUP
    page = client.get(f"{SETUP}?next={STAFF_PAGE}")
    assert sent.status_code == 302
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert shown_key(page)

    with freeze_time() as clock:
        wrong = client.post(SETUP, {"token": "000000", "next": STAFF_PAGE})
        assert wrong.status_code == 200
        assert wrong.context["form"].errors["token"]
        clock.tick(5)  # past the wait after one wrong code
        done = client.post(SETUP, {"token": totp_token(device), "next": STAFF_PAGE})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10
    assert "no-store" in done["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    assert enrolment.PROOF_SESSION_KEY not in client.session
    assert client.get(STAFF_PAGE).status_code == 200


def test_replacing_an_authenticator_after_the_second_step_needs_no_e_mail(client, staff):
    client.force_login(staff)  # with a confirmed authenticator and past the second step
    page = client.get(SETUP)
    assert shows_a_key(page)
    assert mail.outbox == []


def all_text_in_the_database() -> str:
    """Every value of every table, as text, and every session decoded."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            values += [str(value) for row in cursor.fetchall() for value in row]
    values += [json.dumps(session.get_decoded()) for session in Session.objects.all()]
    return "\n".join(values)


def test_the_link_s_token_never_reaches_a_database_table(
    client, staff, django_capture_on_commit_callbacks
):
    sender = Client()
    log_in(sender, staff)
    with django_capture_on_commit_callbacks(execute=True):
        path = ask_for_link(sender)
    uidb64, token = path.rstrip("/").rsplit("/", 2)[1:]
    # opened before logging in, with a mistyped password first (its failure is recorded)
    client.get(path)
    wrong = client.post(
        f"{reverse('login')}?next={quote(SETUP)}",
        {"username": staff.username, "password": "fout", "next": SETUP},
    )
    assert wrong.status_code == 200
    log_in(client, staff)
    page = client.get(SETUP)
    with freeze_time(), django_capture_on_commit_callbacks(execute=True):
        assert confirm_with_the_shown_key(client, page).status_code == 200
    dump = all_text_in_the_database()
    assert staff.username in dump  # the dump reads the tables
    assert token not in dump
    assert token.split("-")[1] not in dump
    assert path not in dump


# --- Light fuzzing ---------------------------------------------------------------------------

PIECE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/?#"),
    min_size=1,
    max_size=80,
)


def test_a_broken_link_gets_a_page_never_a_server_error(client, staff):
    signed_in = Client()
    log_in(signed_in, staff)
    own = urlsafe_base64_encode(force_bytes(staff.pk))
    real_token = enrolment.tokens.make_token(staff)

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(
        uidb64=st.one_of(
            st.just(own), st.just("MQ"), st.just("OTk5OTk5OTk5OTk5OTk5OTk5OTk5"), PIECE
        ),
        token=st.one_of(st.just(real_token + "x"), PIECE),
    )
    def check(uidb64, token):
        path = f"{SETUP}{quote(uidb64, safe='')}/{quote(token, safe='')}/"
        for visitor in (client, signed_in):
            response = visitor.get(path)
            assert response.status_code in {200, 400, 403, 404}, (path, response.status_code)
            assert not shows_a_key(response)

    check()
    assert not TOTPDevice.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(token=st.text(max_size=40), next_=st.text(max_size=60))
def test_the_new_forms_take_any_input_without_a_server_error(client, staff, token, next_):
    client.force_login_without_second_factor(staff)
    request = client.post(reverse("accounts:second_factor_enrolment_request"), {"next": next_})
    assert request.status_code in {302, 400, 429}
    if request.status_code == 302:
        assert request.url.startswith(SETUP)
    confirm = client.post(SETUP, {"token": token, "next": next_})
    assert confirm.status_code in {400, 403}
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
