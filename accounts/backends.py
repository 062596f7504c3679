"""Django's ModelBackend, with the model permissions read by `accounts.access` (one query for a
user's roles and permissions together, instead of three). Log-in and the rest are Django's."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .access import load_access


class ModelBackend(DjangoModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            load_access(user_obj)
        return user_obj._perm_cache
