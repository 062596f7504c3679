def roles(request) -> dict:
    """The signed-in user's roles for the header (one query, cached on the user)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": []}
    return {"user_roles": user.roles}
