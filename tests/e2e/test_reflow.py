"""Every page a role can reach by following links fits a 320 px phone (WCAG 1.4.10 reflow),
keeps its content above the footer, and passes axe-core's WCAG 2.1 A and AA rules.

test_nlds.py checks each role's main pages by name; this test walks the site as a visitor does,
from the home page through every link to a page of ours, so a page nobody thought of is checked
too, by axe-core as well (any finding, not only the serious ones). A page may be wider than the
phone only inside a region that scrolls on its own (a wide table in `{% table_container %}`).
The browser session also fails the test on any answer of 400 or more (a link to a page the role
may not open, or to nothing).
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import describe_violations, login, run_axe, widest_element

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 320
# Not a page of ours in the site's layout (the admin, files, the API), or a link that changes
# something when followed with GET in a browser (none should; logging out is a form).
NOT_A_PAGE = re.compile(
    r"^/(beheer|static|media|api|i18n)/"
    r"|\.(pdf|csv|json|pb|zip|xlsx|ods|txt|ics|xml|svg|png)$"
)
# Pages of one kind (the same path but for numbers) checked at most this many times.
PER_KIND = 2
MOST = 200  # pages per role, a guard against a walk that never ends


# Elements of the main part that reach below it, over the footer (a card stretched to its
# column's height: `.bk-card` with `block-size: 100%` beside other content).
SPILLED = """() => {
  const main = document.querySelector('main');
  if (!main) return [];
  const bottom = main.getBoundingClientRect().bottom;
  return [...main.querySelectorAll('*')]
    // checkVisibility: not the content of a closed <details>, which still has a box
    .filter(e => { const r = e.getBoundingClientRect(); return r.height > 0 && r.bottom > bottom + 1; })
    .filter(e => e.checkVisibility())
    .slice(0, 3)
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().bottom - bottom)} px)`);
}"""


def _kind(path: str) -> str:
    """The same path but for numbers, with the same query keys (not values)."""
    parts = urlsplit(path)
    keys = sorted(key.split("=")[0] for key in parts.query.split("&") if key)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _links(page, base: str, here: str) -> list[str]:
    found = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        parts = urlsplit(urljoin(base + here, href))
        if parts.netloc != urlsplit(base).netloc or NOT_A_PAGE.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _walk(page, base: str) -> tuple[int, list[str]]:
    """Visit every page reachable from the home page; returns how many, and what is wrong."""
    queue, seen, kinds, problems = ["/"], set(), {}, []
    while queue and len(seen) < MOST:
        path = queue.pop(0)
        kind = _kind(path)
        if path in seen or kinds.get(kind, 0) >= PER_KIND:
            continue
        seen.add(path)
        kinds[kind] = kinds.get(kind, 0) + 1
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a file to download, not a page
            assert "Download is starting" in str(error), error
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        extra = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if extra > 0:
            problems.append(f"{path}: {extra} px too wide, {widest_element(page)}")
        if spilled := page.evaluate(SPILLED):
            problems.append(f"{path}: reaches below the page's main part: {', '.join(spilled)}")
        if violations := run_axe(page):
            problems.append(f"{path}:\n{describe_violations(violations)}")
        queue += [link for link in _links(page, base, path) if link not in seen]
    return len(seen), problems


@pytest.mark.parametrize(
    "username",
    # every role of the demo: a link shown to a role that may not follow it fails the walk
    # (an administrator's menu led to the civil servants' codes page, 2026-12-07)
    [None, "bewoner", "jongere", "adviseur", "stembureau", "ambtenaar", "beheerder"],
    ids=lambda name: name or "anonymous",
)
def test_every_page_a_role_reaches_by_its_links_fits_a_phone_and_passes_axe(
    new_session, live_server, demo_data, username
):
    page = new_session().page
    page.set_viewport_size({"width": WIDTH, "height": 800})
    if username:
        login(page, username)
    visited, problems = _walk(page, live_server.url)
    assert visited >= 30  # the walk went through the site, not one page
    assert not problems, "\n".join(problems)
