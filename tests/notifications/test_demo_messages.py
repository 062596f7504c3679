"""The demo's inboxes (look review 2026-12-06, 16): each message carries the moment of what it
tells, not the moment the demo was made, and what is long past is read."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from notifications import messages
from notifications.demo import LONG_PAST
from notifications.models import Channel, Event, Kind, Notification
from sroi.models import Transaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    started = timezone.now()
    call_command("seed_demo", verbosity=0, force=True)
    return started


def test_the_demos_messages_are_dated_when_it_happened(seeded):
    # the payments to Community Home 24/7: on the tranche's day, and the text says that day
    paid = Event.objects.filter(
        kind=Kind.ALLOCATION_PAID, notifications__user__username="ambtenaar"
    )
    tranches = Transaction.objects.filter(
        kind=Transaction.Kind.DISBURSEMENT, allocation__initiative__name="Community Home 24/7"
    )
    assert {timezone.localdate(e.created_at) for e in paid} == {t.date for t in tranches}
    assert len(tranches) == 2
    first = paid.order_by("created_at").first()
    with translation.override("nl"):
        _subject, text = messages.render(first.kind, first.data)
    assert text.endswith(f"Het is betaald op 16 juni {first.created_at.year}.")
    # the plans' reviews: one by one, before today, never two in the same minute
    reviews = list(
        Event.objects.filter(kind=Kind.PLAN_REVIEWED).values_list("created_at", flat=True)
    )
    assert len(reviews) >= 10
    assert max(reviews) < seeded - timedelta(days=1)
    assert len({moment.replace(second=0, microsecond=0) for moment in reviews}) == len(reviews)
    # what someone is told at the moment of seeding happens now: today's shifts and paper ballots
    now = Event.objects.filter(created_at__gte=seeded, notifications__channel=Channel.SITE)
    assert set(now.values_list("kind", flat=True)) <= {Kind.SHIFT_ADDED, Kind.BUDGET_BALLOT}


def test_the_demos_messages_about_things_long_past_are_read(seeded):
    site = Notification.objects.filter(channel=Channel.SITE)
    long_past = seeded - LONG_PAST
    assert site.filter(event__created_at__lt=long_past).exists()
    assert not site.filter(event__created_at__lt=long_past, read_at__isnull=True).exists()
    unread = site.filter(user__username="bewoner", read_at__isnull=True)
    assert 0 < unread.count() <= 10  # there were 27, all new
    assert not unread.filter(event__created_at__lt=long_past).exists()
