from django.contrib import admin

from .models import Event, LetterBatch, Notification


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: what was told to whom is a record, not something to edit."""

    list_display = ["created_at", "kind", "subject"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(EventAdmin):
    list_display = ["event", "user", "channel", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]


@admin.register(LetterBatch)
class LetterBatchAdmin(EventAdmin):
    list_display = ["week", "count", "created_at"]
    list_filter = []
