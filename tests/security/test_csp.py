"""The Content-Security-Policy holds on every page: nothing inline runs without the nonce (d)."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.crawl import _shape, crawl, seeded_accounts
from tests.roles import ACCOUNT_ROLES

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
STYLE = re.compile(r"<style\b([^>]*)>", re.I)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
HANDLER_ATTR = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


@pytest.fixture
def demo(db):
    """The demo scenario and one account per role (in the test's transaction)."""
    return seeded_accounts("csp")


def test_no_page_runs_inline_code_without_the_nonce(demo):
    """Every role's pages (one per shape, seeded with the demo), crawled from the menu."""
    problems = []
    for role in ACCOUNT_ROLES:
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


def test_no_template_has_an_inline_event_handler_style_or_javascript_url():
    """Pages shown only after a POST (a vote's receipt, a trustee's key, an intake link) or only
    to staff half-way through logging in (the second factor's set-up) are not reached by the
    crawl above; the templates themselves must not hold inline code either: the policy would
    silently refuse it, and a button would do nothing or a picture lose its size."""
    root = Path(__file__).resolve().parents[2]
    offending = [
        f"{path.relative_to(root)}: {match.group(0)[:80]}"
        for path in sorted(root.glob("**/templates/**/*.html"))
        if ".venv" not in path.parts
        for pattern in (HANDLER_ATTR, STYLE_ATTR, JS_URL)
        for match in pattern.finditer(path.read_text())
    ]
    assert offending == []
