"""Sessions end at browser close and after idle time: residents 15 minutes, staff 60 (issue 17.8)."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _log_in(client, username):
    response = client.post(
        reverse("login"), {"username": username, "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 302
    return response


def test_the_session_cookie_ends_when_the_browser_closes(client, resident):
    response = _log_in(client, "bewoner")
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_a_resident_is_logged_out_after_15_idle_minutes(client, resident):
    with freeze_time(START) as clock:
        _log_in(client, "bewoner")
        assert client.get(reverse("accounts:profile")).status_code == 200
        clock.tick(datetime.timedelta(minutes=14))
        assert client.get(reverse("accounts:profile")).status_code == 200
        # Activity resets the clock: 14 more minutes are fine.
        clock.tick(datetime.timedelta(minutes=14))
        assert client.get(reverse("accounts:profile")).status_code == 200
        clock.tick(datetime.timedelta(minutes=15, seconds=1))
        response = client.get(reverse("accounts:profile"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "15 minuten" in response.content.decode()


def test_staff_stay_logged_in_for_60_idle_minutes(client, civil_servant):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.otp import totp_token

    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    with freeze_time(START) as clock:
        _log_in(client, "ambtenaar")
        second = client.post(reverse("accounts:second_factor"), {"token": totp_token(device)})
        assert second.status_code == 302
        client.get(reverse("accounts:members"))
        clock.tick(datetime.timedelta(minutes=59))
        assert client.get(reverse("accounts:members")).status_code == 200
        clock.tick(datetime.timedelta(minutes=60, seconds=1))
        assert client.get(reverse("accounts:members")).status_code == 302


def test_residents_get_the_warning_with_an_external_script(client, resident, civil_servant):
    client.force_login(resident)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="session-warning"' in page
    assert 'data-idle-seconds="900"' in page and 'data-warning-seconds="120"' in page
    assert "js/session-timeout.js" in page
    assert reverse("accounts:keep_alive") in page
    client.force_login(civil_servant)
    assert 'id="session-warning"' not in client.get(reverse("accounts:profile")).content.decode()


def test_stay_logged_in_resets_the_idle_time(client, resident):
    with freeze_time(START) as clock:
        _log_in(client, "bewoner")
        client.get(reverse("accounts:profile"))
        clock.tick(datetime.timedelta(minutes=13))
        response = client.post(
            reverse("accounts:keep_alive"),
            {"next": reverse("accounts:profile")},
            HTTP_X_REQUESTED_WITH="fetch",
        )
        assert response.status_code == 204
        clock.tick(datetime.timedelta(minutes=13))
        assert client.get(reverse("accounts:profile")).status_code == 200


def test_stay_logged_in_without_javascript_goes_back_to_the_page(client, resident):
    client.force_login(resident)
    response = client.post(reverse("accounts:keep_alive"), {"next": reverse("accounts:profile")})
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    # Never off-site.
    response = client.post(reverse("accounts:keep_alive"), {"next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_stay_logged_in_after_the_end_says_so(client):
    response = client.post(reverse("accounts:keep_alive"), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 401


def test_stay_logged_in_never_treats_next_as_a_view_name_or_another_site(client, resident):
    # Found by the fuzz suite: a `next` such as "9999-12-31" was taken for a view name (500).
    client.force_login(resident)
    for wanted in ("9999-12-31", "home", "//evil.example/", "https://evil.example/"):
        response = client.post(reverse("accounts:keep_alive"), {"next": wanted})
        assert response.status_code == 302, wanted
        assert response.url == "/", wanted
    response = client.post(reverse("accounts:keep_alive"), {"next": "/initiatieven/?q=tuin"})
    assert response.url == "/initiatieven/?q=tuin"
