"""A user's permission checks, asked of backends made once per process.

Django's `has_perm` and `has_module_perms` call `auth.get_backends()` on every check, which
imports and makes each configured backend anew: a page asks five to ten times (the view's rule,
the menu, the to-do count), and on a vote those makings were 4 % of the request's CPU. Here the
backends that answer permissions are made once (again when AUTHENTICATION_BACKENDS changes, as in
tests) and asked in Django's order with Django's rules: the first True wins, a PermissionDenied
ends the check with False. The log-in backends (axes, the OIDC clients) do not answer here:
axes has no permission methods, and the OIDC clients leave them to `accounts.backends` (see
`accounts.oidc._Backend`).
"""

from functools import cache

from django.contrib.auth import get_backends
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed


@cache
def _backends(method: str) -> tuple:
    return tuple(backend for backend in get_backends() if hasattr(backend, method))


def _forget(setting, **kwargs) -> None:
    if setting == "AUTHENTICATION_BACKENDS":
        _backends.cache_clear()


setting_changed.connect(_forget, dispatch_uid="accounts.permissions")


def _ask(method: str, *args) -> bool:
    for backend in _backends(method):
        try:
            if getattr(backend, method)(*args):
                return True
        except PermissionDenied:
            return False
    return False


def has_perm(user, perm: str, obj=None) -> bool:
    """Django's `_user_has_perm`, without making the backends again."""
    return _ask("has_perm", user, perm, obj)


def has_module_perms(user, app_label: str) -> bool:
    """Django's `_user_has_module_perms`, without making the backends again."""
    return _ask("has_module_perms", user, app_label)
