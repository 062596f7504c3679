"""The shared bases of the back office: history without its revert form, and read-only admins.

django-simple-history's history form (`/beheer/<app>/<model>/<id>/history/<version>/`) saves
the form on POST with only the *view* permission checked, and `SIMPLE_HISTORY_REVERT_DISABLED`
only hides the button. `HistoryAdmin` refuses every write there, for every model. What decides or
counts (ledger rows, allocations, realisations, proposals, decisions, bodies, seats and rules) is
shown through `ReadOnlyAdmin`: no add, change, delete, bulk action or revert by anyone, a
superuser included; it is written only by the services, which keep the audit trail.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin with its history to read; a past version can be looked at, not restored."""

    # A web address typed without a scheme is read as https, as on our own forms (and as
    # Django 6 will by default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in SAFE_METHODS:
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyMixin:
    """No add, change or delete (so no bulk delete either), whatever the user's permissions."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}


class ReadOnlyAdmin(ReadOnlyMixin, HistoryAdmin):
    """Read-only, with the history (for models that keep one)."""


class ReadOnlyModelAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only, for models without history."""


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    """Rows shown inside a read-only parent."""

    extra = 0
    can_delete = False
