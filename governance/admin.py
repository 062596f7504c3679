"""The back office for administrators: bodies, seats and decision rules.

Proposals and decisions are written by the services (through the proposal pages) and are only
shown here. Votes of polls are deliberately absent: neither `Ballot` nor `Participation` is
registered, so the admin cannot show who voted, let alone what.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import selectors
from .models import Body, Decision, DecisionRule, Proposal, Seat


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 1
    fields = ["user", "side", "starts_on", "ends_on"]
    autocomplete_fields = ["user"]


def _composition_warning(body: Body) -> str:
    if not body.decides:
        return ""
    composition = selectors.composition(body)
    if composition.ok:
        return ""
    return _(
        "%(body)s does not meet the composition rule: the community side (community and youth "
        "seats) holds %(community)d of %(voting)d voting seats and needs at least %(needed)d. "
        "No vote can open until the seats are changed."
    ) % {
        "body": body,
        "community": composition.community,
        "voting": composition.voting,
        "needed": composition.needed,
    }


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "decision_rule", "meets_composition_rule"]
    prepopulated_fields = {"slug": ["name"]}
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        body = self.get_object(request, object_id)
        if body is not None and request.method == "GET":
            warning = _composition_warning(body)
            if warning:
                messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        warning = _composition_warning(obj)
        if warning:
            messages.warning(request, warning)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        warning = _composition_warning(obj)
        if warning:
            messages.warning(request, warning)
        return super().response_add(request, obj, post_url_continue)


@admin.register(Seat)
class SeatAdmin(SimpleHistoryAdmin):
    list_display = ["body", "user", "side", "starts_on", "ends_on"]
    list_filter = ["body", "side"]
    autocomplete_fields = ["user"]
    list_select_related = ["body", "user"]


@admin.register(DecisionRule)
class DecisionRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "majority_percent",
        "quorum",
        "quorum_value",
        "abstentions_count_toward_quorum",
        "community_guarantee",
        "min_discussion_days",
    ]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
