from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from common.admin import HistoryAdmin, ReadOnlyAdmin, ReadOnlyModelAdmin

from .models import (
    Area,
    ExternalIdentity,
    MemberVerification,
    Role,
    User,
    VerificationCode,
    VerificationCodeBatch,
    VerificationRequirement,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting an account would clear who verified a realisation and who made every audit
        # row (those columns are SET_NULL). Switch "active" off instead: the account can no
        # longer log in and the trail keeps its name.
        return False


@admin.register(VerificationRequirement)
class VerificationRequirementAdmin(HistoryAdmin):
    """Which verifications are enough per action; changes are kept in the history. A running
    poll's roll is frozen, so a change counts from the next poll that opens."""

    list_display = ("action", "account_is_enough", "in_person", "code", "digid", "valid_days")

    def has_add_permission(self, request) -> bool:
        return False  # one row per action, made by the data migration

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Area)
class AreaAdmin(HistoryAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(MemberVerification)
class MemberVerificationAdmin(ReadOnlyAdmin):
    """Verifications (who may vote in a poll) are made and revoked through the service."""

    list_display = ("user", "area", "method", "verified_by", "verified_at", "revoked_at")
    list_filter = ("method", "area")
    search_fields = ("user__username",)
    readonly_fields = [f.name for f in MemberVerification._meta.fields]

    def get_fields(self, request, obj=None):
        # The date of birth is for the officers' table only; an administrator may see it to
        # correct a mistake, other staff in the back office never.
        fields = [f.name for f in MemberVerification._meta.fields if f.name != "id"]
        if not request.user.has_role(Role.ADMINISTRATOR):
            fields.remove("date_of_birth")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(VerificationCode)
class VerificationCodeAdmin(ReadOnlyModelAdmin):
    list_display = ("suffix", "area", "created_by", "created_at", "expires_at", "used_at")
    list_filter = ("area",)
    readonly_fields = [f.name for f in VerificationCode._meta.fields]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(ReadOnlyModelAdmin):
    """Who logs in through SSO or DigiD; made only by logging in, never by hand."""

    list_display = ("user", "provider", "created_at")
    list_filter = ("provider",)
    search_fields = ("user__username",)


@admin.register(VerificationCodeBatch)
class VerificationCodeBatchAdmin(ReadOnlyModelAdmin):
    """Batches are requested, approved and printed through the services (four eyes)."""

    list_display = ("created_at", "area", "count", "issuer", "approved_by", "printed_at")
    list_filter = ("area", "needs_approval")
