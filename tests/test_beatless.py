"""Without a beat (`make run`) the web process runs what the beat would, at most once a minute."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import transaction
from freezegun import freeze_time

from config import beatless
from notifications import services
from notifications.models import Kind, Notification
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _pending_email() -> Notification:
    """An e-mail that was never handed to a worker (as after a broker outage)."""
    user = UserFactory(email="wacht@example.org")
    with transaction.atomic():
        services.emit(kind=Kind.VOTING_OPENED, subject="x", url="/", recipients=[])
    event = services.Event.objects.get()
    return Notification.objects.create(event=event, user=user, channel="email")


def test_a_request_runs_the_due_tasks_once_a_minute(client, settings, mailoutbox):
    settings.RUN_BEAT_IN_WEB = True
    _pending_email()
    assert client.get("/").status_code == 200
    assert [m.to for m in mailoutbox] == [["wacht@example.org"]]
    # Within the minute nothing runs again, even with something new waiting.
    Notification.objects.filter(channel="email").update(status="pending")
    client.get("/")
    assert len(mailoutbox) == 1


def test_nothing_runs_in_the_web_process_when_a_real_beat_exists(client, settings, mailoutbox):
    settings.RUN_BEAT_IN_WEB = False
    _pending_email()
    client.get("/")
    assert mailoutbox == []


def test_weekly_tasks_are_due_after_their_moment_and_not_before():
    with freeze_time(datetime(2026, 11, 30, 5, 30, tzinfo=AMSTERDAM)):  # a Monday
        first = beatless.due_entries(datetime(2026, 11, 30, 5, 30, tzinfo=AMSTERDAM))
    assert "close-due-proposals" in first
    assert "weekly-digests" not in first and "weekly-letters" not in first
    with freeze_time(datetime(2026, 11, 30, 7, 5, tzinfo=AMSTERDAM)):
        later = beatless.due_entries(datetime(2026, 11, 30, 7, 5, tzinfo=AMSTERDAM))
    assert {"weekly-digests", "weekly-letters"} <= set(later)


def test_a_failing_task_does_not_stop_the_others(settings, monkeypatch):
    settings.CELERY_BEAT_SCHEDULE = {
        "broken": {"task": "notifications.weekly_letters", "schedule": 60.0},
        "fine": {"task": "notifications.deliver", "schedule": 60.0},
    }

    def broken(**kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(services, "build_letters", broken)
    assert beatless.run_due() == ["fine"]
