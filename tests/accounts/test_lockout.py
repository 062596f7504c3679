"""Log-in lock-outs cannot be turned against users (issue 17.1).

Behind the reverse proxy every request comes from the proxy's address; the client is the entry of
X-Forwarded-For that the proxy wrote. A lock-out holds for one user name from one client only.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.client_ip import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
GOOD = {"username": "ambtenaar", "password": "correct-horse-battery-9"}
BAD = {"username": "ambtenaar", "password": "wrong"}


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def _visitor(address: str, forged: str = "") -> Client:
    """A browser at `address`, reaching the app through the proxy (which appends the address)."""
    forwarded = f"{forged}, {address}" if forged else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_an_attacker_cannot_lock_out_a_civil_servant(civil_servant, settings):
    # given an attacker who types wrong passwords for the civil servant's user name
    attacker = _visitor("198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attacker.post(reverse("login"), BAD)
    assert attacker.post(reverse("login"), GOOD).status_code == 429
    # when the civil servant logs in from their own address, through the same proxy
    response = _visitor("203.0.113.10").post(reverse("login"), GOOD)
    # then they get in
    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def test_a_forged_forwarded_for_does_not_pick_the_locked_address(civil_servant, settings):
    attacker = _visitor("198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(reverse("login"), BAD)
    # A victim whose browser (or a trick) sends the attacker's address as its own entry is still
    # seen at the address the proxy wrote.
    victim = _visitor("203.0.113.10", forged="198.51.100.66")
    assert victim.post(reverse("login"), GOOD).status_code == 302


def test_the_lock_out_lifts_after_the_cool_off(civil_servant, settings):
    import datetime

    from freezegun import freeze_time

    attacker = _visitor("198.51.100.66")
    start = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    with freeze_time(start):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attacker.post(reverse("login"), BAD)
        response = attacker.post(reverse("login"), GOOD)
        assert response.status_code == 429
        assert "15 minuten" in response.content.decode()
    with freeze_time(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1)):
        assert attacker.post(reverse("login"), GOOD).status_code == 302


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "198.51.100.1", "192.0.2.1"),
        (1, PROXY, "198.51.100.1", "198.51.100.1"),
        (1, PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, PROXY, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (1, PROXY, "", PROXY),
        (2, PROXY, "198.51.100.1", PROXY),
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_client_ip(rf, settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_old_proxy_setting_is_refused_not_misread():
    """AXES_PROXY_COUNT=0 meant "one proxy"; read as TRUSTED_PROXY_COUNT it would bring the bug back."""
    from tests.test_settings import PRODUCTION, run

    result = run("import django; django.setup()", {**PRODUCTION, "AXES_PROXY_COUNT": "0"})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr
    assert (
        run("import django; django.setup()", {**PRODUCTION, "TRUSTED_PROXY_COUNT": "1"}).returncode
        == 0
    )


def test_a_very_long_user_name_is_recorded_cut_short_not_refused_by_the_database(client):
    # PostgreSQL refused axes' 255-character column with a 500 (the fuzz suite on PostgreSQL).
    from axes.models import AccessAttempt

    response = client.post("/accounts/inloggen/", {"username": "x" * 400, "password": "wrong"})
    assert response.status_code == 200
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * 150
