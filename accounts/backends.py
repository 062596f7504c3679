"""Django's ModelBackend, reading a user's model permissions in one query instead of two.

Django reads the user's own permissions and those of their groups separately; every page a
logged-in user sees asks at least one (the menu), so that is a query per page. Here both come
from one query, kept on the user object for the request like Django's own cache (`_perm_cache`,
which the other ModelBackend-based backends, the OIDC ones, share). Log-in and the rest are
Django's.
"""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackend(DjangoModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(
                    Q(user=user_obj) | Q(group__user=user_obj)
                ).distinct()
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                )
            }
        return user_obj._perm_cache
