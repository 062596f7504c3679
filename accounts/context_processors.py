def roles(request) -> dict:
    """The signed-in user's roles for the header (one query, cached on the user)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": []}
    return {"user_roles": user.roles}


def login_options(request) -> dict:
    """Which outside log-ins are switched on, for the log-in page's buttons."""
    from . import oidc

    return {
        "staff_sso_enabled": oidc.is_enabled(oidc.STAFF),
        "digid_enabled": oidc.is_enabled(oidc.DIGID),
    }
