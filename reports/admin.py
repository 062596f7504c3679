from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyModelAdmin

from .models import AnnualReport, Outcome, WorkerProbe


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyModelAdmin):
    """Read-only: reports are made by the service, never edited by hand."""

    list_display = ["year", "area", "language", "version", "status", "is_current", "finished_at"]
    list_filter = ["status", "language", "is_current"]
    readonly_fields = [field.name for field in AnnualReport._meta.fields]
    exclude = ["snapshot"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    """Read-only: a number is recorded by a civil servant through the service (its rule, the
    closed years), never typed here under another person's name (insider review R3)."""

    list_display = ["year", "initiative", "indicator", "value", "recorded_by"]
    list_filter = ["year", "indicator"]
    search_fields = ["initiative__name", "source"]
    autocomplete_fields = ["initiative"]


@admin.register(WorkerProbe)
class WorkerProbeAdmin(admin.ModelAdmin):
    list_display = ["token", "requested_at", "ran_at", "pid", "hostname"]
