"""Roles are groups; each app declares which model permissions its roles hold.

Every app may have a `roles.py` that calls `grant(Role.X, "app.codename", ...)`. After each
`migrate` the groups are brought in line with these declarations, so a deployment never has to
click permissions together by hand. Object-level and time-bound rules live in each app's
`rules.py` (django-rules); these groups carry the coarse, model-level permissions that the Django
admin also understands.
"""

from collections import defaultdict

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from .models import Role

_GRANTS: dict[Role, set[str]] = defaultdict(set)


def grant(role: Role, *permissions: str) -> None:
    """Declare that `role` holds these permissions ("app_label.codename")."""
    _GRANTS[role].update(permissions)


def declared_permissions() -> dict[Role, set[str]]:
    """The permissions each role should hold, from every app's `roles.py`."""
    autodiscover_modules("roles")
    return {role: set(_GRANTS.get(role, set())) for role in Role}


@transaction.atomic
def sync_role_groups() -> dict[Role, Group]:
    """Create a group per role and set its permissions to exactly the declared ones."""
    groups = {}
    for role, names in declared_permissions().items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for name in sorted(names):
            app_label, codename = name.split(".", 1)
            try:
                wanted.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except Permission.DoesNotExist as exc:
                raise LookupError(f"Role {role.value} names an unknown permission {name}") from exc
        group.permissions.set(wanted)
        groups[role] = group
    return groups


def sync_role_groups_after_migrate(sender, **kwargs) -> None:
    # post_migrate is sent once per app; Django creates each app's permissions in its own round,
    # so wait for the last app, when every declared permission exists.
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender.label == with_models[-1].label:
        sync_role_groups()


grant(
    Role.CIVIL_SERVANT,
    "accounts.view_user",
    "accounts.view_area",
    "accounts.add_area",
    "accounts.change_area",
    "accounts.view_memberverification",
    "accounts.add_memberverification",
    "accounts.view_verificationcode",
    "accounts.add_verificationcode",
    "accounts.view_verificationcodebatch",
)
grant(
    Role.ADMINISTRATOR,
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_area",
    "accounts.add_area",
    "accounts.change_area",
    "accounts.delete_area",
    "accounts.view_memberverification",
    "accounts.add_memberverification",
    "accounts.change_memberverification",
    "accounts.view_verificationcode",
    "accounts.add_verificationcode",
    "accounts.view_externalidentity",
    "accounts.view_rolechange",
    # Seen, not changed: a role is a group by its name, so a renamed group would make every
    # administrator a civil servant; its permissions are the declared ones (sync_role_groups).
    "auth.view_group",
)
