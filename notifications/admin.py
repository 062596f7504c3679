from django.contrib import admin

from common.admin import ReadOnlyModelAdmin

from .models import Event, LetterBatch, Notification


@admin.register(Event)
class EventAdmin(ReadOnlyModelAdmin):
    """What was told to whom is a record, not something to edit."""

    list_display = ["created_at", "kind", "subject"]
    list_filter = ["kind"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    list_display = ["event", "user", "channel", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]


@admin.register(LetterBatch)
class LetterBatchAdmin(ReadOnlyModelAdmin):
    list_display = ["week", "count", "created_at"]
