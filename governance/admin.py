"""The back office shows governance; it changes nothing of it.

Bodies, seats and decision rules are changed by civil servants on the staff pages
(`/voorstellen/organen/`), through the services that enforce the composition rule and record
who changed what and why. Proposals and decisions are written by the services (through the
proposal pages). Votes of polls are deliberately absent: neither `Ballot` nor `Participation` is
registered, so the admin cannot show who voted, let alone what.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from . import selectors
from .models import Body, Decision, DecisionRule, Proposal, Seat


class SeatInline(ReadOnlyTabularInline):
    model = Seat
    fields = ["user", "side", "starts_on", "ends_on"]


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "decision_rule", "meets_composition_rule"]
    inlines = [SeatInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decision_rule")

    def get_list_display(self, request):
        self._compositions = {body.pk: c for body, c in selectors.bodies_with_composition()}
        return super().get_list_display(request)

    @admin.display(description=_("community majority"), boolean=True)
    def meets_composition_rule(self, obj) -> bool | None:
        if not obj.decides:
            return None
        composition = getattr(self, "_compositions", {}).get(obj.pk)
        return composition.ok if composition else selectors.composition(obj).ok


@admin.register(Seat)
class SeatAdmin(ReadOnlyAdmin):
    list_display = ["body", "user", "side", "starts_on", "ends_on"]
    list_filter = ["body", "side"]
    list_select_related = ["body", "user"]


@admin.register(DecisionRule)
class DecisionRuleAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "majority_percent",
        "quorum",
        "quorum_value",
        "abstentions_count_toward_quorum",
        "community_guarantee",
        "min_discussion_days",
    ]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "method", "body", "status", "opens_at", "closes_at"]
    list_filter = ["status", "kind", "method", "body"]
    list_select_related = ["body"]
    search_fields = ["title"]
    exclude = ["areas"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "proposal", "outcome", "decided_at", "executed_at"]
    list_select_related = ["proposal"]
    readonly_fields = ["explanation"]
