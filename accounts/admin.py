from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.admin import HistoryAdmin, ReadOnlyAdmin, ReadOnlyModelAdmin

from . import services
from .models import (
    Area,
    ExternalIdentity,
    MemberVerification,
    Role,
    RoleChange,
    User,
    VerificationCode,
    VerificationCodeBatch,
    VerificationRequirement,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts. Roles (the groups) change only through `services.set_roles`, its rules with
    it: not one's own, no staff role on a verified member's account, community membership
    only by verification. Only a superuser makes a superuser or hands out single permissions;
    nobody changes their own staff or superuser status here."""

    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")

    def get_readonly_fields(self, request, obj=None):
        locked = set(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            locked |= {"is_superuser", "user_permissions"}
        if obj is not None and obj.pk == request.user.pk:
            locked |= {"groups", "is_staff", "is_superuser", "user_permissions"}
        return tuple(locked)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None or "groups" not in form.base_fields:
            return form

        class RolesThroughTheService(form):
            def clean(self):
                cleaned = super().clean()
                member = Role.COMMUNITY_MEMBER.value
                was = {group.name for group in obj.groups.all()}
                now = {group.name for group in cleaned.get("groups") or ()}
                if "groups" in self.changed_data and (member in was) != (member in now):
                    self.add_error(
                        "groups",
                        _("Community membership comes from a verification, not from here."),
                    )
                if "groups" in self.changed_data and not self.errors:
                    try:
                        with transaction.atomic():  # only asked here; saved with the account
                            services.set_roles(
                                user=obj, roles=_roles_of(cleaned.get("groups")), actor=request.user
                            )
                            transaction.set_rollback(True)
                    except ValidationError as error:
                        self.add_error("groups", error)
                return cleaned

        return RolesThroughTheService

    def save_related(self, request, form, formsets, change):
        groups = form.cleaned_data.pop("groups", None) if change else None
        if change and "groups" in form.changed_data:
            # the other many-to-many fields as Django saves them, the roles by the service
            form.fields.pop("groups")
            super().save_related(request, form, formsets, change)
            services.set_roles(user=form.instance, roles=_roles_of(groups), actor=request.user)
            return
        super().save_related(request, form, formsets, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting an account would clear who verified a realisation and who made every audit
        # row (those columns are SET_NULL). Switch "active" off instead: the account can no
        # longer log in and the trail keeps its name.
        return False


def _roles_of(groups) -> set[Role]:
    """The roles among `groups`, without community membership (verification gives that)."""
    names = {group.name for group in groups or ()}
    return {role for role in Role if role.value in names and role is not Role.COMMUNITY_MEMBER}


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


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyModelAdmin):
    """The role log (accounts/rolelog.py): every role given or taken, by any path, SQL included;
    seen here, never changed (the database refuses that too)."""

    list_display = ("moment", "username", "role", "given", "actor_username", "database_role")
    list_filter = ("role", "given", "database_role")
    search_fields = ("username", "actor_username")
    readonly_fields = [f.name for f in RoleChange._meta.fields]
