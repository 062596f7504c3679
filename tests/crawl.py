"""A small crawler for tests: every page a role reaches from the menu, one page per shape."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

from django.test import Client

START = [
    "/",
    "/initiatieven/",
    "/voorstellen/",
    "/voorstellen/organen/",
    "/sroi/",
    "/sroi/contracten/",
    "/sroi/contracten/achterstand/",
    "/sroi/opdrachtnemers/",
    "/rapporten/",
    "/open-data/",
    "/intake/",
    "/accounts/leden/",
    "/accounts/codes/",
    "/accounts/profiel/",
    "/accounts/inloggen/",
    "/accounts/registreren/",
    "/initiatieven/nieuw/",
    "/initiatieven/importeren/",
    "/initiatieven/gebieden/",
    "/voorstellen/nieuw/",
    "/rapporten/aanvragen/",
    "/bestaat-niet/",
]
# Downloads, log-out and the admin (Django's own pages) are not crawled.
SKIP = re.compile(
    r"(\.csv|\.xlsx|\.json|\.pdf|\.txt)$|^/(beheer|static|media)/|^/accounts/uitloggen"
    r"|/bewijs/$|/bijlagen/"
)
PAGES_PER_ROLE = 70

LINK = re.compile(r'href="(/[^"]*)"')


def _shape(path: str) -> str:
    """Pages that differ only in ids or slugs count once."""
    return re.sub(r"/[0-9]+/", "/N/", path)


def crawl(client: Client) -> dict[str, tuple[int, str, str]]:
    """Visit START and every internal link found, one page per shape; path -> (status, csp, html)."""
    seen_shapes: set[str] = set()
    pages: dict[str, tuple[int, str, str]] = {}
    queue = deque(START)
    while queue and len(pages) < PAGES_PER_ROLE:
        path = urldefrag(queue.popleft())[0]
        if SKIP.search(urlsplit(path).path) or _shape(path) in seen_shapes:
            continue
        seen_shapes.add(_shape(path))
        response = client.get(path)
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            continue
        if 300 <= response.status_code < 400:
            queue.append(response["Location"])
            continue
        html = response.content.decode()
        pages[path] = (response.status_code, response.get("Content-Security-Policy", ""), html)
        queue.extend(link.replace("&amp;", "&") for link in LINK.findall(html))
    return pages


def seeded_accounts(prefix: str) -> dict:
    """The demo scenario and one account per role that logs in, named `prefix`-…; in the
    calling test's transaction."""
    from django.core.management import call_command

    from accounts.models import Role
    from tests.accounts.factories import UserFactory

    call_command("seed_demo", verbosity=0, force=True)
    return {
        "community_member": UserFactory(username=f"{prefix}-lid"),
        "youth_council": UserFactory(username=f"{prefix}-jong", roles=[Role.YOUTH_COUNCIL]),
        "advisory_member": UserFactory(username=f"{prefix}-advies", roles=[Role.ADVISORY_MEMBER]),
        "civil_servant": UserFactory(username=f"{prefix}-ambt", roles=[Role.CIVIL_SERVANT]),
        "administrator": UserFactory(
            username=f"{prefix}-beheer", roles=[Role.ADMINISTRATOR], is_staff=True
        ),
    }
