"""The worker is asked to send only when an event has an e-mail to send now."""

import pytest
from django.db import transaction

from notifications import services
from notifications.models import Channel, Kind, Notification, Preference
from tests.accounts.factories import UserFactory

# Each test reads the on-commit callbacks of its own transaction, which a committed test has
# already run (tests/at_commit.py).
pytestmark = [pytest.mark.django_db, pytest.mark.rolled_back_only]


def _emit(recipients, captured, kind=Kind.VOTING_OPENED):
    with captured() as callbacks, transaction.atomic():
        services.emit(
            kind=kind,
            subject="governance.proposal:1:participation",
            url="/voorstellen/1/",
            recipients=recipients,
            data={"title": "Speeltuin"},
        )
    return [c for c in callbacks if c is services._dispatch]


def test_an_event_seen_only_on_the_site_asks_no_worker(django_capture_on_commit_callbacks):
    # given a member without e-mail and one who wants a weekly digest
    weekly = UserFactory(email="week@example.org")
    Preference.objects.create(user=weekly, email_frequency=Preference.Frequency.WEEKLY)
    # when
    dispatched = _emit([UserFactory(email=""), weekly], django_capture_on_commit_callbacks)
    # then both see it on the site, and nothing is handed to the worker now
    assert dispatched == []
    assert Notification.objects.filter(channel=Channel.SITE).count() == 2
    assert Notification.objects.filter(channel=Channel.EMAIL, digest=True).count() == 1


def test_an_event_with_an_email_to_send_now_asks_the_worker(django_capture_on_commit_callbacks):
    # a participation is always mailed at once to a member with an address
    member = UserFactory(email="nu@example.org")
    Preference.objects.create(user=member, email_frequency=Preference.Frequency.WEEKLY)
    dispatched = _emit([member], django_capture_on_commit_callbacks, kind=Kind.PARTICIPATION)
    assert dispatched == [services._dispatch]
