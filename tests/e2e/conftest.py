"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's live server.

Run with `make test-e2e` (the default `pytest` run ignores this folder). Never `playwright install`:
the tests use the system chromium (`apt-get install chromium`).
"""

import contextlib
import io
import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls from the
# test code ("SynchronousOnlyOperation"). The test code never runs inside that loop, so this is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SHOTS = Path("/tmp/e2e-shots")
# Schemes that never reach the network.
LOCAL_SCHEMES = {"data", "blob", "about"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        reason = "Debian's chromium is not installed (apt-get install chromium); e2e tests need it"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class BrowserSession:
    """One browser context (its own cookies: one visitor) plus a log of what its pages fetched."""

    def __init__(self, browser, base_url: str, locale: str = "nl-NL"):
        self.base_url = base_url.rstrip("/")
        self.origin = urlsplit(self.base_url)
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(
            base_url=self.base_url,
            locale=locale,
            timezone_id="Europe/Amsterdam",
            viewport={"width": 1280, "height": 900},
            # The site's Content-Security-Policy applies, as in a visitor's browser: what it
            # blocks (an inline script or style without the nonce) is a console error, and
            # fails the test. axe runs through the DevTools protocol, which it does not limit.
            bypass_csp=False,
        )
        self.context.set_default_timeout(10_000)
        # Abort anything aimed at another host, so a stray CDN link fails fast (and is reported).
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page.on("response", self._response)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on(
            "console",
            lambda msg: (
                self.errors.append(f"console {msg.type}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        return (parts.scheme, parts.netloc) == (self.origin.scheme, self.origin.netloc)

    def _route(self, route):
        if self.is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def _response(self, response):
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status} for {response.url}")

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not self.is_local(url)]

    def close(self):
        self.context.close()


@pytest.fixture
def new_session(browser, live_server):
    """Make further visitors (each a fresh browser context); all are checked at teardown."""
    sessions: list[BrowserSession] = []

    def make(locale: str = "nl-NL") -> BrowserSession:
        session = BrowserSession(browser, live_server.url, locale=locale)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        # A request the browser makes after "load" (the favicon, with the session cookie)
        # could still be reading the session in the live server when the database is
        # flushed, which SQLite then refuses ("database table is locked"): wait for quiet.
        # A page closed, or never quiet: the checks below still run.
        with contextlib.suppress(PlaywrightError):
            session.page.wait_for_load_state("networkidle", timeout=5_000)
    foreign = [url for session in sessions for url in session.foreign_requests()]
    errors = [error for session in sessions for error in session.errors]
    for session in sessions:
        session.close()
    assert not foreign, f"pages requested other hosts than {live_server.url}: {foreign}"
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def session(new_session) -> BrowserSession:
    return new_session()


@pytest.fixture
def page(session):
    """A page in a fresh browser context, Dutch browser, requests checked at teardown."""
    return session.page


@pytest.fixture
def demo_data(transactional_db):
    """The demo scenario and one log-in per role, as `make run` sets them up.

    The transactional flush after each test empties auth_group too, so the role groups are
    created again first."""
    from accounts.roles import sync_role_groups

    sync_role_groups()
    output = io.StringIO()
    call_command("seed_demo", verbosity=0, stdout=output, force=True)
    call_command("create_demo_users", "--force", stdout=io.StringIO())
    return output.getvalue()  # holds the demo poll's trustees' keys, printed once


def login(page, username: str, password: str | None = None) -> None:
    """Log in through the login form, as a person would; staff then type a code from their
    authenticator app (computed here from the device's key, as the app does)."""
    page.goto("/accounts/inloggen/")
    form = page.locator("main form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(password or f"{username}-demo")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if urlsplit(page.url).path == "/accounts/tweede-stap/":
        second_step(page, username)


def second_step(page, username: str) -> None:
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.otp import totp_token

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    token = totp_token(device)
    if device.last_t >= int((time.time() - device.t0) // device.step):
        # This code was used already (a second log-in within 30 s): use a recovery code.
        token = StaticToken.objects.filter(device__user__username=username).first().token
    form = page.locator("main form")
    form.locator("#id_token").fill(token)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def run_axe(page) -> list[dict]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; returns the violations."""
    # Evaluated, not added as a <script>: the page's CSP would block an inline script.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            });
            return results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }"""
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def widest_element(page) -> str:
    """The element that reaches furthest right past the viewport (to name it in the failure)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          let worst = null, right = width;
          for (const el of document.querySelectorAll("body *")) {
            const r = el.getBoundingClientRect().right;
            if (r > right) { right = r; worst = el; }
          }
          if (!worst) return "";
          const cls = worst.className && worst.className.baseVal === undefined ? worst.className : "";
          return `${worst.tagName.toLowerCase()}.${cls} (${Math.round(right - width)} px)`;
        }"""
    )
