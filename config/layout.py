"""What the layout's frames show (common/frames.py): for the header, the footer and the session
warning, what makes a kind of visitor (`fixed`) and each visitor's own text (`holes`).

Each function gets the page's context: a RequestContext with the context processors' values, or,
on the 500 and 503 pages, a bare context without a request (then the visitor is anonymous).
"""

from urllib.parse import quote

from django.template.defaulttags import CsrfTokenNode

_CSRF_FIELD = CsrfTokenNode()

# The menu's items and when each is the current one, by the resolved URL's application and name.
SECTIONS = {
    "home": lambda app, name: name == "home",
    "initiatives": lambda app, name: app == "initiatives",
    "open_votes": lambda app, name: name == "open_votes",
    "proposals": lambda app, name: app == "governance" and name != "open_votes",
    "budgeting": lambda app, name: app == "budgeting",
    "reports": lambda app, name: app == "reports",
    "sroi": lambda app, name: app == "sroi",
    "intake": lambda app, name: app == "intake",
    "members": lambda app, name: name == "members",
    "codes": lambda app, name: name == "codes",
    "todo": lambda app, name: name == "todo",
}


def current_sections(request) -> frozenset[str]:
    """The menu items marked as the current page (`aria-current`)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return frozenset()
    return frozenset(
        item for item, test in SECTIONS.items() if test(match.app_name, match.url_name)
    )


def _request(context):
    """The page's request; None on a page rendered without one (500, 503)."""
    return getattr(context, "request", None)


def header(context) -> tuple[dict, dict]:
    """The header: the language switch, who is logged in with their roles, and the menu."""
    request = _request(context)
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    pending = bool(context.get("second_factor_pending"))
    todo = context.get("todo_count")
    fixed = {
        "signed_in": signed_in,
        "roles": tuple(context.get("user_roles") or ()),
        "current": current_sections(request),
        "second_factor_pending": pending,
        "manage_initiatives": bool(user and user.has_perm("initiatives.manage_initiatives")),
        "list_members": bool(user and user.has_perm("accounts.list_members")),
        # the codes page is a civil servant's: an administrator sees the members, not this link
        "issue_codes": bool(user and user.has_perm("accounts.issue_verification_codes")),
        # the count as the menu prints it (a lazy number, counted here once)
        "todo_count": None if todo is None else str(todo),
        "is_staff": bool(user and user.is_staff),
    }
    holes = {
        "csrf_field": _CSRF_FIELD.render(context),
        "username": user.username if signed_in else "",
        "next": context.get("language_next") or (request.get_full_path() if request else ""),
        "login_next": quote(request.path) if request else "",
    }
    return fixed, holes


def footer(context) -> tuple[dict, dict]:
    """The footer: the same for everyone, in their language."""
    return {"municipality": context.get("MUNICIPALITY_NAME")}, {}


def session_warning(context) -> tuple[dict, dict]:
    """The warning before a resident is logged out for doing nothing (accounts' context
    processor gives its times, only for a logged-in resident)."""
    warning = context.get("session_warning")
    if not warning:
        return {"shown": False}, {}
    request = _request(context)
    path = request.get_full_path() if request else ""
    holes = {"csrf_field": _CSRF_FIELD.render(context), "next": path, "login_next": quote(path)}
    return {"shown": True, **warning}, holes
