"""The demo's inboxes. The other apps' demos tell their story with the clock set back, so each
message carries the moment of what it tells; a resident who uses the site would have read what
is long past by now, so `finish` (after every app's demo) marks those messages read, and only
the recent ones are new."""

from datetime import timedelta

from django.utils import timezone

from .models import Channel, Notification
from .services import mark_read

# Older than this at seeding: read.
LONG_PAST = timedelta(days=14)


def seed(log) -> None:
    """Nothing of its own: the messages come from the other apps' demos (see `finish`)."""


def finish(log) -> None:
    before = timezone.now() - LONG_PAST
    unread = Notification.objects.filter(
        channel=Channel.SITE, read_at__isnull=True, event__created_at__lt=before
    ).select_related("user")
    by_user: dict = {}
    for notice in unread:
        by_user.setdefault(notice.user, []).append(notice.pk)
    for user, ids in by_user.items():
        mark_read(user=user, ids=ids)
    log(f"messages: {sum(map(len, by_user.values()))} long past marked read")
