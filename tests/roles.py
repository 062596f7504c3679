"""The roles of a permission matrix, and a test client logged in as one of them.

Use with the `user_for_role` fixture (tests/conftest.py), which makes a user for each of
ACCOUNT_ROLES: `login_as(client, user_for_role(role)).get(url)`.
"""

from django.urls import reverse

ROLES = (
    "anonymous",
    "community_member",
    "youth_council",
    "advisory_member",
    "officer",
    "trustee",
    "civil_servant",
    "administrator",
)
# Officer and trustee are tasks for one location or one poll, so a test that checks them makes
# those users itself; `user_for_role` has a user for each of the other roles.
ACCOUNT_ROLES = tuple(role for role in ROLES if role not in {"officer", "trustee"})
STAFF = frozenset({"civil_servant", "administrator"})


def login_as(client, user):
    """The client, logged in as `user`; left anonymous for None (the "anonymous" role)."""
    if user is not None:
        client.force_login(user)
    return client


def expected_status(role: str, allowed, ok: int = 200) -> int:
    """A permission matrix's expected status: `ok` for an allowed role, otherwise the log-in
    page (302) for an anonymous visitor and 403 for a signed-in person without the right."""
    if role in allowed:
        return ok
    return 302 if role == "anonymous" else 403


def is_denied(role: str, response) -> bool:
    """Refused as the matrix expects: an anonymous visitor is sent to the log-in page, a
    signed-in person without the right gets 403."""
    if role == "anonymous":
        return response.status_code == 302 and response.url.startswith(reverse("login"))
    return response.status_code == 403
