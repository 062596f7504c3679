"""Sessions end at browser close, after idle time (residents 15 minutes, staff 60; issue 17.8) and
12 hours after log-in; the idle clock is kept in the cache (issue 16)."""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from accounts.sessions import IDLE_KEY_PREFIX, LAST_ACTIVITY, SessionStore

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


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


# Ours keeps the idle clock in the cache; with any other engine it is kept in the session.
@pytest.mark.parametrize("engine", ["accounts.sessions", "django.contrib.sessions.backends.db"])
def test_a_resident_is_logged_out_after_15_idle_minutes(client, resident, settings, engine):
    settings.SESSION_ENGINE = engine
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


# The idle clock beside the session in the cache (accounts/sessions.py, issue 16): renewing it
# writes nothing to the database, and losing the cache never keeps a session open longer.


def _staff_log_in(client, civil_servant):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.otp import totp_token

    device = TOTPDevice.objects.create(user=civil_servant, name="app", confirmed=True)
    _log_in(client, "ambtenaar")
    second = client.post(reverse("accounts:second_factor"), {"token": totp_token(device)})
    assert second.status_code == 302


def test_activity_renews_the_idle_clock_in_the_cache_and_not_in_the_database(client, resident):
    with freeze_time(START) as clock:
        _log_in(client, "bewoner")
        key = client.session.session_key
        row = Session.objects.get(session_key=key)
        clock.tick(datetime.timedelta(minutes=10))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:profile")).status_code == 200
        # Renewed: the clock in the cache says now; the session's row is as the log-in left it.
        assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
        assert cache.get(IDLE_KEY_PREFIX + key) == int(time.time())
        assert Session.objects.get(session_key=key).session_data == row.session_data
        # 24 minutes after log-in, 14 after the last request: still logged in.
        clock.tick(datetime.timedelta(minutes=14))
        assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_lost_cache_ends_a_session_as_if_idle_since_its_own_time(client, resident):
    with freeze_time(START) as clock:
        _log_in(client, "bewoner")
        clock.tick(datetime.timedelta(minutes=10))
        assert client.get(reverse("accounts:profile")).status_code == 200  # in the cache only
        clock.tick(datetime.timedelta(minutes=10))
        cache.clear()  # Redis restarted, or evicted the keys
        # The session's own time (the log-in, 20 minutes ago) counts: logged out, and told why.
        response = client.get(reverse("accounts:profile"), follow=True)
        assert response.redirect_chain[0][0].startswith(reverse("login"))
        assert "15 minuten" in response.content.decode()
        assert client.get(reverse("accounts:profile")).status_code == 302  # and stays out


def test_a_lost_cache_keeps_a_recent_session(client, resident):
    with freeze_time(START) as clock:
        _log_in(client, "bewoner")
        clock.tick(datetime.timedelta(minutes=5))
        cache.clear()
        assert client.get(reverse("accounts:profile")).status_code == 200
        clock.tick(datetime.timedelta(minutes=14))  # renewed again, in the cache
        assert client.get(reverse("accounts:profile")).status_code == 200


def test_however_active_a_session_ends_twelve_hours_after_log_in(client, civil_servant):
    with freeze_time(START) as clock:
        _staff_log_in(client, civil_servant)
        for _ in range(14):  # a request every 50 minutes: 11 hours 40 minutes
            clock.tick(datetime.timedelta(minutes=50))
            assert client.get(reverse("accounts:members")).status_code == 200
        clock.tick(datetime.timedelta(minutes=50))
        response = client.get(reverse("accounts:members"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "U was 12 uur ingelogd. Log opnieuw in." in response.content.decode()


def test_the_store_keeps_the_clock_beside_the_session_and_deletes_it_with_the_session():
    store = SessionStore()
    store[LAST_ACTIVITY] = 1_000
    store.save()
    key = store.session_key
    assert SessionStore(key).last_activity() == 1_000
    SessionStore(key).renew_idle_clock(2_000, timeout=60)
    later = SessionStore(key)
    assert later.last_activity() == 2_000
    assert later[LAST_ACTIVITY] == 1_000  # the row was not written
    # Written for another reason: the session's own time catches up with the clock, so it
    # survives a lost cache.
    later["elsewhere"] = True
    later.save()
    cache.clear()
    assert SessionStore(key).last_activity() == 2_000
    # A new key (log-in) starts without the old key's clock, and the old one is gone.
    cycled = SessionStore(key)
    cycled.renew_idle_clock(3_000, timeout=60)
    cycled.cycle_key()
    assert cycled.session_key != key
    assert cache.get(IDLE_KEY_PREFIX + key) is None
    assert SessionStore(cycled.session_key).last_activity() == 2_000
    assert not Session.objects.filter(session_key=key).exists()
    # Log-out: the row, the cached session and the clock go.
    cycled.renew_idle_clock(4_000, timeout=60)
    new_key = cycled.session_key
    cycled.flush()
    assert cache.get(IDLE_KEY_PREFIX + new_key) is None
    assert not Session.objects.filter(session_key=new_key).exists()
    assert SessionStore(new_key).last_activity() is None


def test_expired_sessions_leave_the_database_every_night(client, resident, settings):
    from accounts import tasks
    from config import beatless

    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == "accounts.clear_expired_sessions"
    with freeze_time(START) as clock:
        _log_in(client, "bewoner")  # a session left behind: the browser was closed
        clock.tick(datetime.timedelta(hours=14))  # past SESSION_COOKIE_AGE (13 hours)
        later = Client()
        _log_in(later, "bewoner")
        assert Session.objects.count() == 2
        assert tasks.clear_expired_sessions.apply().get() == 1
        assert list(Session.objects.values_list("session_key", flat=True)) == [
            later.session.session_key
        ]
    # Without a beat (make run) the web process runs it too, once a night.
    cache.clear()
    try:
        for moment, due in (
            (datetime.datetime(2026, 3, 2, 3, 0), False),
            (datetime.datetime(2026, 3, 3, 4, 20), True),
        ):
            moment = moment.replace(tzinfo=AMSTERDAM)
            with freeze_time(moment):
                assert ("clear-expired-sessions" in beatless.due_entries(moment)) is due
    finally:
        cache.clear()
