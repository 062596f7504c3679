from django.contrib import admin

from common.admin import ReadOnlyModelAdmin

from .models import Event, Kind, LetterBatch, Notification

# The messages that tell who voted: "you took part" (with its moment), "you voted" in a budget
# round, and the reminder that goes to those who have not voted yet (the rest of the roll). The
# Django admin shows no participation of a poll (docs/voting-threat-model.md), so not these either.
WHO_VOTED = (Kind.PARTICIPATION, Kind.BUDGET_BALLOT, Kind.VOTING_CLOSING)


@admin.register(Event)
class EventAdmin(ReadOnlyModelAdmin):
    """What was told to whom is a record, not something to edit. Who took part in a secret
    poll, and when, is not shown (`WHO_VOTED`)."""

    list_display = ["created_at", "kind", "subject"]
    list_filter = ["kind"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(kind__in=WHO_VOTED)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    """Who was told what, and whether it went out; not the messages that say who voted."""

    list_display = ["event", "user", "channel", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(event__kind__in=WHO_VOTED)


@admin.register(LetterBatch)
class LetterBatchAdmin(ReadOnlyModelAdmin):
    list_display = ["week", "count", "created_at"]
