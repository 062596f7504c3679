from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .todo import todo_count  # also registers the permission


def site(request) -> dict:
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        # The municipality's design tokens, loaded after the neutral theme (docs/frontend.md).
        "NLDS_THEME_CSS": (
            None if settings.NLDS_THEME == "neutral" else f"themes/{settings.NLDS_THEME}.css"
        ),
    }


def todo(request) -> dict:
    """The count of the to-do page in the menu, for civil servants; counted only when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("config.see_todo"):
        return {}
    if getattr(request, "second_factor_pending", False):
        return {}  # not before the second factor (accounts.middleware.SecondFactorMiddleware)

    return {"todo_count": SimpleLazyObject(lambda: todo_count(user))}
