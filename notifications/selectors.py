"""Reads of notifications: a person's notices and the letter batches."""

from django.db.models import QuerySet

from accounts.models import Role, User

from .models import Channel, LetterBatch, Notification, Preference


def notices_for(user: User) -> QuerySet[Notification]:
    """A person's notices on the site, newest first, with their event (one query)."""
    return (
        Notification.objects.filter(user=user, channel=Channel.SITE)
        .select_related("event")
        .order_by("-event__created_at", "-pk")
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, channel=Channel.SITE, read_at=None).count()


def preference_of(user: User) -> Preference:
    """The saved preference, or the defaults (not saved) for someone who never chose."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def letter_batches() -> QuerySet[LetterBatch]:
    return LetterBatch.objects.order_by("-week")


def civil_servants(*, besides: User | None = None) -> QuerySet[User]:
    """The active civil servants (who get the work of the to-do page), without `besides`."""
    people = User.objects.filter(is_active=True, groups__name=Role.CIVIL_SERVANT).distinct()
    if besides is not None:
        people = people.exclude(pk=besides.pk)
    return people
