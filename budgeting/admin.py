"""The back office shows rounds and plans read-only: they change only through the services
(which keep the audit trail and the frozen rules). Ballots are not shown: who voted is personal
data, and the ballots without voters are public on the round's page."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Plan, Round


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "area", "fund", "status", "budget", "voting_closes_at"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "round", "number", "cost", "reviewed_cost", "feasibility"]
    list_filter = ["feasibility"]
    search_fields = ["title"]
