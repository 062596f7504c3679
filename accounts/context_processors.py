from django.conf import settings

from . import oidc
from .services import is_staff_account


def roles(request) -> dict:
    """The signed-in user's roles for the header (one query, cached on the user), whether a
    second factor is still to be given, and for a resident the idle limit the session-end
    warning counts down from."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": []}
    # A staff account that has not given its second factor yet (SecondFactorMiddleware): the
    # menu leaves out the staff pages until it has.
    context = {
        "user_roles": user.roles,
        "second_factor_pending": getattr(request, "second_factor_pending", False),
    }
    if not is_staff_account(user):
        context["session_warning"] = {
            "idle_seconds": settings.SESSION_IDLE_SECONDS_RESIDENT,
            "warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
            "warning_minutes": settings.SESSION_IDLE_WARNING_SECONDS // 60,
        }
    return context


def login_options(request) -> dict:
    """Which outside log-ins are switched on, for the log-in page's buttons."""
    return {
        "staff_sso_enabled": oidc.is_enabled(oidc.STAFF),
        "digid_enabled": oidc.is_enabled(oidc.DIGID),
    }
