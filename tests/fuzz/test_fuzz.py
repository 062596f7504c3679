"""Fuzz every form (POST) and every GET filter the roles reach: never a server error (point g).

The demo scenario is loaded, each role's pages are crawled from the menu, and every form found
(and every query parameter in a link) is filled by hypothesis with hostile values: NUL
characters, very long text, unicode, numbers, dates, and the form's own valid choices. DEBUG is
off, as in production. A response of 500 or more fails the test with the request that caused it.
"""

import logging
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.crawl import crawl
from tests.owner import as_the_owner

SUBMISSIONS = 2100
# Forms whose submission ends the session or the test's view of the site.
SKIP_ACTIONS = re.compile(r"^/accounts/uitloggen|^/i18n/|^/beheer/")


@dataclass
class Form:
    role: str
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> valid options


class FormParser(HTMLParser):
    def __init__(self, role: str, page: str):
        super().__init__()
        self.role, self.page = role, page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page
            self.current = Form(self.role, (attrs.get("method") or "get").lower(), action)
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag in ("input", "textarea", "button") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken":
                return
            options = self.current.fields.setdefault(name, [])
            if attrs.get("value"):
                options.append(attrs["value"])
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
            self.current.fields.setdefault(self.select, [])
        elif tag == "option" and self.select and attrs.get("value") is not None:
            self.current.fields[self.select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _query_forms(role: str, path: str) -> list[Form]:
    """A link with a query string is a GET filter too (page, sort, year, area)."""
    parts = urlsplit(path)
    if not parts.query:
        return []
    params: dict[str, list[str]] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        params.setdefault(name, []).append(value)
    return [Form(role, "get", parts.path, params)]


HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.just("\x00"),
    st.text(max_size=10).map(lambda t: t + "\x00" + t),
    st.integers(min_value=1, max_value=200_000).map(lambda n: "x" * n),
    st.sampled_from(
        [
            '=HYPERLINK("x")',
            "'; DROP TABLE x;--",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "\ud7ff\ue000",
            "\u202e",
            "NaN",
            "Infinity",
            "-0",
            "1e309",
            "0x1F",
            " ",
        ]
    ),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats().map(str),
)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
    st.sampled_from(["2025-02-30", "9999-12-31", "0000-00-00", "31-12-99", "2025-13-01T25:61"]),
)


def _value(draw, options: list[str]):
    choices = [HOSTILE_TEXT, NUMBERS, DATES]
    if options:
        choices.append(st.sampled_from(options))
        choices.append(st.sampled_from(options))  # valid values half the time
    return draw(st.one_of(*choices))


@pytest.fixture
def world(db):
    with as_the_owner():  # the demo is the owner's (tests/owner.py)
        call_command("seed_demo", verbosity=0, force=True)
    accounts = {
        "anonymous": None,
        "community_member": UserFactory(username="fuzz-lid"),
        "youth_council": UserFactory(username="fuzz-jong", roles=[Role.YOUTH_COUNCIL]),
        "advisory_member": UserFactory(username="fuzz-advies", roles=[Role.ADVISORY_MEMBER]),
        "civil_servant": UserFactory(username="fuzz-ambt", roles=[Role.CIVIL_SERVANT]),
        "administrator": UserFactory(
            username="fuzz-beheer", roles=[Role.ADMINISTRATOR], is_staff=True
        ),
    }
    clients, forms = {}, []
    for role, user in accounts.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[role] = client
        for path, (_status, _csp, html) in crawl(client).items():
            parser = FormParser(role, urlsplit(path).path)
            parser.feed(html)
            forms += [f for f in parser.forms if not SKIP_ACTIONS.search(f.action)]
            forms += _query_forms(role, path)
    unique = {(f.role, f.method, f.action, tuple(sorted(f.fields))): f for f in forms}
    return clients, list(unique.values())


def _assert_the_crawl_found_the_forms(forms):
    actions = {(f.method, re.sub(r"/[0-9]+/", "/N/", f.action)) for f in forms}
    for expected in [
        ("get", "/initiatieven/"),
        ("post", "/initiatieven/nieuw/"),
        ("post", "/voorstellen/nieuw/"),
        ("post", "/accounts/inloggen/"),
        ("post", "/sroi/contracten/nieuw/"),
    ]:
        assert expected in actions, sorted(actions)


def test_no_submission_gives_a_server_error(world):
    """One test, so the demo is seeded and crawled once."""
    clients, forms = world
    _assert_the_crawl_found_the_forms(forms)
    failures: list[tuple] = []
    count = 0
    started = time.monotonic()

    @settings(
        max_examples=SUBMISSIONS,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def submit(data):
        nonlocal count
        form = data.draw(st.sampled_from(forms))
        values = {
            name: _value(data.draw, options)
            for name, options in form.fields.items()
            if data.draw(st.booleans()) or options
        }
        client = clients[form.role]
        if form.method == "post":
            response = client.post(form.action, values)
        else:
            response = client.get(form.action, values)
        count += 1
        if response.status_code >= 500:
            failures.append((form.role, form.method, form.action, values, response.status_code))

    logging.disable(logging.WARNING)  # thousands of expected 400/403/404 lines cost time
    try:
        submit()
    finally:
        logging.disable(logging.NOTSET)
    elapsed = time.monotonic() - started
    assert count >= 2000, count
    assert failures == [], failures[:5]
    print(f"{count} submissions over {len(forms)} forms in {elapsed:.0f} s")  # noqa: T201
