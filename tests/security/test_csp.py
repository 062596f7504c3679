"""The Content-Security-Policy holds on every page: nothing inline runs without the nonce (d)."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Role
from tests.accounts.factories import UserFactory

ROLES = [
    "anonymous",
    "community_member",
    "youth_council",
    "advisory_member",
    "civil_servant",
    "administrator",
]
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
    "/accounts/login/",
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
    r"(\.csv|\.xlsx|\.json|\.pdf|\.txt)$|^/(beheer|static|media)/|^/accounts/logout"
    r"|/bewijs/$|/bijlagen/"
)
PAGES_PER_ROLE = 70

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
STYLE = re.compile(r"<style\b([^>]*)>", re.I)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
HANDLER_ATTR = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)
LINK = re.compile(r'href="(/[^"]*)"')


def _shape(path: str) -> str:
    """Pages that differ only in ids or slugs count once."""
    return re.sub(r"/[0-9]+/", "/N/", path)


@pytest.fixture
def demo(db):
    """The demo scenario and one account per role (in the test's transaction)."""
    call_command("seed_demo", verbosity=0)
    return {
        "community_member": UserFactory(username="csp-lid"),
        "youth_council": UserFactory(username="csp-jong", roles=[Role.YOUTH_COUNCIL]),
        "advisory_member": UserFactory(username="csp-advies", roles=[Role.ADVISORY_MEMBER]),
        "civil_servant": UserFactory(username="csp-ambt", roles=[Role.CIVIL_SERVANT]),
        "administrator": UserFactory(
            username="csp-beheer", roles=[Role.ADMINISTRATOR], is_staff=True
        ),
    }


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


def test_no_page_runs_inline_code_without_the_nonce(demo):
    """Every role's pages (one per shape, seeded with the demo), crawled from the menu."""
    problems = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(demo[role])
        pages = crawl(client)
        assert len(pages) >= 15, (role, sorted(pages))
        problems += _problems(pages)
    assert problems == []


def _problems(pages) -> list:
    problems = []
    for path, (status, policy, html) in pages.items():
        assert status < 500, path
        nonce = re.search(r"'nonce-([^']+)'", policy)
        # A page without inline code gets no nonce at all: stricter still.
        assert policy and "script-src 'self'" in policy, path
        for tag in [*SCRIPT.findall(html), *STYLE.findall(html)]:
            if "src=" in tag:
                continue
            if not nonce or f'nonce="{nonce.group(1)}"' not in tag:
                problems.append((path, "inline script or style without nonce", tag))
        for pattern, what in [
            (STYLE_ATTR, "style attribute"),
            (HANDLER_ATTR, "event handler attribute"),
            (JS_URL, "javascript: URL"),
        ]:
            match = pattern.search(html)
            if match:
                problems.append((path, what, match.group(0)[:120]))
    return problems


def test_the_policy_is_strict(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[^']+'", directives["script-src"])
    assert re.fullmatch(r"'self' 'nonce-[^']+'", directives["style-src"])
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert client.get("/")["Referrer-Policy"] == "same-origin"


def test_a_new_nonce_on_every_response(client, db):
    first = client.get("/")["Content-Security-Policy"]
    assert first != client.get("/")["Content-Security-Policy"]


def test_crawl_sees_the_staff_pages(demo):
    client = Client()
    client.force_login(demo["civil_servant"])
    pages = crawl(client)
    shapes = {_shape(path) for path in pages}
    for expected in ["/intake/", "/sroi/contracten/N/beheer/", "/initiatieven/nieuw/"]:
        assert expected in shapes, sorted(shapes)
