"""Log-in, log-out and password pages have Dutch paths; the old English paths still lead there."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.auth_urls import OLD_PATHS

pytestmark = pytest.mark.django_db

DUTCH = {
    "login": "/accounts/inloggen/",
    "logout": "/accounts/uitloggen/",
    "password_change": "/accounts/wachtwoord-wijzigen/",
    "password_change_done": "/accounts/wachtwoord-wijzigen/klaar/",
    "password_reset": "/accounts/wachtwoord-vergeten/",
    "password_reset_done": "/accounts/wachtwoord-vergeten/verstuurd/",
    "password_reset_complete": "/accounts/nieuw-wachtwoord/klaar/",
}
ENGLISH_WORDS = re.compile(r"login|logout|password|reset|done|change")


def test_every_log_in_and_password_page_has_a_dutch_path():
    for name, expected in DUTCH.items():
        assert reverse(name) == expected, name
    confirm = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-123"})
    assert confirm == "/accounts/nieuw-wachtwoord/MQ/abc-123/"
    for name in [*DUTCH, "password_reset_confirm"]:
        path = reverse(name, kwargs={"uidb64": "MQ", "token": "t"} if "confirm" in name else {})
        assert not ENGLISH_WORDS.search(path), path


def test_the_header_and_a_page_for_members_only_send_a_visitor_to_the_dutch_path(client):
    page = client.get("/").content.decode()
    assert 'href="/accounts/inloggen/?next=/"' in page
    assert "/accounts/login/" not in page
    response = client.get("/taken/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/inloggen/?next=/taken/"
    assert client.get("/accounts/inloggen/").status_code == 200


@pytest.mark.parametrize(("old", "name"), list(OLD_PATHS.items()))
def test_an_old_english_path_redirects_for_good_to_the_dutch_one(client, old, name):
    kwargs = {"uidb64": "MQ", "token": "abc-123"} if "<" in old else {}
    path = "/accounts/" + old.replace("<uidb64>", "MQ").replace("<token>", "abc-123")
    response = client.get(path + "?next=/voorstellen/")
    assert response.status_code == 301
    assert response["Location"] == reverse(name, kwargs=kwargs) + "?next=/voorstellen/"


def test_an_old_log_in_link_with_next_still_logs_in_and_returns(client, resident):
    resident.set_password("een-lang-wachtwoord-2026")
    resident.save()
    response = client.get("/accounts/login/?next=/voorstellen/", follow=True)
    assert response.redirect_chain == [("/accounts/inloggen/?next=/voorstellen/", 301)]
    assert '<input type="hidden" name="next" value="/voorstellen/">' in response.content.decode()
    response = client.post(
        "/accounts/inloggen/?next=/voorstellen/",
        {"username": "bewoner", "password": "een-lang-wachtwoord-2026"},
    )
    assert response.status_code == 302 and response["Location"] == "/voorstellen/"


def test_a_form_posted_to_an_old_path_is_sent_on_with_its_method(client, resident):
    # given a page opened before the update, whose log-out button posts to the old path
    client.force_login(resident)
    # when it is pressed
    response = client.post("/accounts/logout/")
    # then the browser is told to post again, to the new path (308 keeps method and body)
    assert response.status_code == 308
    assert response["Location"] == "/accounts/uitloggen/"
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/uitloggen/", 308)
    assert "_auth_user_id" not in client.session


def test_a_reset_link_from_an_older_e_mail_still_sets_a_new_password(client, resident):
    # given a reset link as e-mails had it before the paths changed
    uid = urlsafe_base64_encode(force_bytes(resident.pk))
    token = default_token_generator.make_token(resident)
    # when the resident follows it
    response = client.get(f"/accounts/reset/{uid}/{token}/", follow=True)
    # then they reach the form for a new password, on the Dutch path
    assert response.context["validlink"]
    assert response.redirect_chain[0] == (f"/accounts/nieuw-wachtwoord/{uid}/{token}/", 301)
    form_path = response.redirect_chain[-1][0]
    assert form_path == f"/accounts/nieuw-wachtwoord/{uid}/set-password/"
    response = client.post(
        form_path,
        {"new_password1": "nieuw-wachtwoord-2026", "new_password2": "nieuw-wachtwoord-2026"},
    )
    assert response.status_code == 302 and response["Location"] == DUTCH["password_reset_complete"]
    resident.refresh_from_db()
    assert resident.check_password("nieuw-wachtwoord-2026")


def test_an_old_path_keeps_a_redirect_to_another_site_out(client):
    # the query string is passed on as it is; the log-in page itself refuses a foreign `next`
    response = client.get("/accounts/login/?next=https://example.com/", follow=True)
    assert response.redirect_chain == [("/accounts/inloggen/?next=https://example.com/", 301)]
    assert '<input type="hidden" name="next" value="">' in response.content.decode()
