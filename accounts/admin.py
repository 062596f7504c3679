from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Area, MemberVerification, User, VerificationCode, VerificationCodeBatch


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(MemberVerification)
class MemberVerificationAdmin(SimpleHistoryAdmin):
    list_display = ("user", "area", "method", "verified_by", "verified_at", "revoked_at")
    list_filter = ("method", "area")
    search_fields = ("user__username",)
    readonly_fields = [f.name for f in MemberVerification._meta.fields]

    def has_add_permission(self, request):
        # Verifications are made through the service (it also grants the role).
        return False


@admin.register(VerificationCode)
class VerificationCodeAdmin(admin.ModelAdmin):
    list_display = ("suffix", "area", "created_by", "created_at", "expires_at", "used_at")
    list_filter = ("area",)
    readonly_fields = [f.name for f in VerificationCode._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(VerificationCodeBatch)
class VerificationCodeBatchAdmin(admin.ModelAdmin):
    """Read only: batches are requested, approved and printed through the services (four eyes)."""

    list_display = ("created_at", "area", "count", "issuer", "approved_by", "printed_at")
    list_filter = ("area", "needs_approval")
    readonly_fields = [f.name for f in VerificationCodeBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
