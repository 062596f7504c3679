"""One address that tries a password on many user names is stopped (security review 2026-12-06,
S4: axes locks a user name at an address, so spraying one password over 100 names went on).
Failed log-ins count per client address; log-ins that succeed never count, so the residents of
a Community Home, who share its address, are not stopped by each other."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_failures": "10/h"}


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)


def test_one_address_spraying_a_password_over_many_names_is_stopped():
    real = UserFactory(username="bewoner-echt", password=PASSWORD)
    sprayer = _from("198.51.100.66")
    statuses = [
        sprayer.post(
            reverse("login"), {"username": f"naam{i}", "password": "Welkom2026!"}
        ).status_code
        for i in range(10)
    ]
    assert statuses == [200] * 10  # the form again, with its message
    # the eleventh try is refused before any password is tried, even a right one
    refused = sprayer.post(reverse("login"), {"username": real.username, "password": PASSWORD})
    assert refused.status_code == 429 and "_auth_user_id" not in sprayer.session
    assert "Te veel pogingen" in refused.content.decode()
    assert int(refused["Retry-After"]) == 3600
    # someone at another address logs in as ever
    assert (
        _from("203.0.113.10")
        .post(reverse("login"), {"username": real.username, "password": PASSWORD})
        .status_code
        == 302
    )


def test_log_ins_that_succeed_at_a_shared_address_are_never_counted():
    home = "192.0.2.50"  # a Community Home: one address, many residents
    for i in range(12):
        UserFactory(username=f"buurtbewoner{i}", password=PASSWORD)
        visitor = _from(home)
        response = visitor.post(
            reverse("login"), {"username": f"buurtbewoner{i}", "password": PASSWORD}
        )
        assert response.status_code == 302, i
