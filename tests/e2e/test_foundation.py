"""The foundation in a real browser: log-in per role, language, keyboard, codes, accessibility.

The Dutch texts below are the translations in locale/nl/LC_MESSAGES/django.po; Dutch is the
site's default language, and the browser contexts are Dutch (Accept-Language nl-NL).
"""

import re
from urllib.parse import urlsplit

import pytest

from accounts.models import MemberVerification, User, VerificationCode
from tests.e2e.conftest import SHOTS, describe_violations, login, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

ROLE_LABELS = {
    # user name: (Dutch header label, English header label)
    "bewoner": ("Lid van de gemeenschap", "Community member"),
    "jongere": (
        "Lid van de gemeenschap, Lid jongerenraad",
        "Community member, Youth council member",
    ),
    "adviseur": ("Lid adviescommissie", "Advisory committee member"),
    "ambtenaar": ("Ambtenaar", "Civil servant"),
    "beheerder": ("Beheerder", "Administrator"),
}
THEME_PRIMARY = "rgb(11, 79, 138)"  # #0b4f8a, --bk-color-primary of static/themes/neutral.css
STRONG_PASSWORD = "Kraanvogel-Gaasperplas-84"


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def switch_language(page, code: str) -> None:
    form = page.locator("header form[action*='setlang']")
    form.locator("#language-select").select_option(code)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_static_files_load_and_style_the_page(page, demo_data):
    response = page.goto("/")
    assert response.status == 200
    # The theme's blue on the "Log in" button proves the NL Design System component CSS and the
    # theme's tokens loaded and apply.
    log_in = page.locator("header a.utrecht-button-link--primary-action")
    background = log_in.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == THEME_PRIMARY
    # The theme: its custom property is defined on :root.
    focus_colour = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--bk-color-focus').trim()"
    )
    assert focus_colour == "#b35900"
    # The script ran: htmx defines its global; Bootstrap's bundle is gone.
    assert page.evaluate("typeof htmx === 'object' && typeof bootstrap === 'undefined'")


@pytest.mark.parametrize("username", list(ROLE_LABELS))
def test_demo_user_logs_in_and_sees_name_and_roles(page, demo_data, username):
    dutch, english = ROLE_LABELS[username]
    page.goto("/")
    assert page.locator("[data-testid=current-user]").count() == 0

    login(page, username)

    assert urlsplit(page.url).path == "/"  # LOGIN_REDIRECT_URL: home
    assert page.locator("[data-testid=current-user]").inner_text() == username
    assert page.locator("[data-testid=current-roles]").inner_text() == f"({dutch})"

    switch_language(page, "en")
    assert html_lang(page) == "en"
    assert page.locator("[data-testid=current-user]").inner_text() == username
    assert page.locator("[data-testid=current-roles]").inner_text() == f"({english})"


def test_wrong_password_does_not_log_in(page, demo_data):
    login(page, "ambtenaar", "not-the-password")
    assert page.locator("[data-testid=current-user]").count() == 0
    assert "/accounts/inloggen/" in page.url


def test_language_switch(page, demo_data):
    page.goto("/")
    header = page.locator("header")
    assert html_lang(page) == "nl"
    assert header.locator("label[for=language-select]").inner_text() == "Taal"
    assert header.locator("form[action*='setlang'] button").inner_text() == "Wissel"
    assert header.locator("a.utrecht-button-link--primary-action").inner_text() == "Inloggen"
    assert page.locator("nav").get_attribute("aria-label") == "Hoofdnavigatie"
    assert page.locator("#language-select").input_value() == "nl"

    switch_language(page, "en")

    assert page.url.endswith("/") and "/accounts/" not in page.url
    assert html_lang(page) == "en"
    assert header.locator("label[for=language-select]").inner_text() == "Language"
    assert header.locator("form[action*='setlang'] button").inner_text() == "Switch"
    assert header.locator("a.utrecht-button-link--primary-action").inner_text() == "Log in"
    assert page.locator("nav").get_attribute("aria-label") == "Main navigation"
    assert page.locator("#language-select").input_value() == "en"
    assert page.locator("#join-heading").inner_text() == "Take part"

    # The choice sticks on the next page.
    page.goto("/accounts/inloggen/")
    assert html_lang(page) == "en"
    assert page.locator("main h1").inner_text() == "Log in"

    switch_language(page, "nl")
    assert "/accounts/inloggen/" in page.url
    assert html_lang(page) == "nl"
    assert page.locator("main h1").inner_text() == "Inloggen"


def test_skip_link_is_first_and_moves_focus_to_main(page, demo_data):
    page.goto("/")
    skip = page.locator("a.utrecht-skip-link")
    hidden_box = skip.bounding_box()
    # NL Design System's skip link waits above the top of the page until it has the focus.
    hidden = hidden_box is None or hidden_box["y"] + hidden_box["height"] <= 0
    assert hidden, "skip link visible before focus"

    page.keyboard.press("Tab")

    focused = page.evaluate(
        "({cls: document.activeElement.className, href: document.activeElement.getAttribute('href'),"
        " text: document.activeElement.textContent.trim()})"
    )
    assert "utrecht-skip-link" in focused["cls"]
    assert focused["href"] == "#main"
    assert focused["text"] == "Direct naar de inhoud"
    box = skip.bounding_box()
    assert box is not None and box["width"] > 40 and box["height"] > 20, box
    assert skip.evaluate("el => getComputedStyle(el).clip") in ("auto", "")
    # Inside the viewport, on top: what a sighted keyboard user actually sees.
    assert 0 <= box["x"] < 1280 and 0 <= box["y"] < 900
    topmost = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('.utrecht-skip-link') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert topmost, "the focused skip link is covered by another element"

    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    # The next Tab continues inside main, not back at the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_verification_code_registers_once(new_session, demo_data):
    # A civil servant issues one code for Bijlmer-Centrum.
    clerk = new_session()
    login(clerk.page, "ambtenaar")
    clerk.page.goto("/accounts/codes/")
    form = clerk.page.locator("main form")
    form.locator("#id_area").select_option(label="Bijlmer-Centrum")
    form.locator("#id_count").fill("1")
    with clerk.page.expect_navigation():
        form.locator("button[type=submit]").click()
    codes = clerk.page.locator("[data-testid=verification-code]")
    assert codes.count() == 1
    code = codes.inner_text().strip()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", code), code
    assert VerificationCode.objects.filter(used_at__isnull=True).count() == 1
    violations = run_axe(clerk.page)
    assert not violations, f"axe-core on the printed codes:\n{describe_violations(violations)}"

    # An anonymous resident makes an account with it.
    resident = new_session()
    page = resident.page
    page.goto("/accounts/registreren/")
    # Step 1: the code only.
    form = page.locator("main form")
    form.locator("#id_code").fill(code.lower())  # typed over from paper, sloppily
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    # Step 2: a suggested user name, one password field with a show button (keyboard works).
    form = page.locator("main form")
    username = form.locator("#id_username")
    assert username.input_value().startswith("buurtbewoner"), username.input_value()
    username.fill("nieuwebuur")
    password = form.locator("#id_password")
    password.fill(STRONG_PASSWORD)
    show = form.locator("[data-show-password]")
    show.focus()
    page.keyboard.press("Enter")
    assert password.get_attribute("type") == "text"
    assert show.get_attribute("aria-pressed") == "true"
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith("/accounts/welkom/"), page.url
    assert page.locator("[data-testid=current-user]").inner_text() == "nieuwebuur"
    assert page.locator("[data-testid=current-roles]").inner_text() == "(Lid van de gemeenschap)"
    assert "Bijlmer-Centrum" in page.locator("[data-testid=welcome-member]").inner_text()
    user = User.objects.get(username="nieuwebuur")
    verification = MemberVerification.objects.get(user=user, revoked_at__isnull=True)
    assert verification.area.slug == "bijlmer-centrum"
    assert verification.method == MemberVerification.Method.CODE

    # Someone else tries the same code: refused on the code field, no account.
    latecomer = new_session()
    page = latecomer.page
    page.goto("/accounts/registreren/")
    form = page.locator("main form")
    form.locator("#id_code").fill(code)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/accounts/registreren/" in page.url
    code_input = page.locator("#id_code")
    assert "utrecht-textbox--invalid" in (code_input.get_attribute("class") or "")
    error = page.locator("#id_code_error")
    assert "Deze verificatiecode is al gebruikt." in error.inner_text()
    violations = run_axe(page)
    assert not violations, f"axe-core on the form with errors:\n{describe_violations(violations)}"
    assert page.locator("[data-testid=current-user]").count() == 0
    assert not User.objects.filter(username="tweedebuur").exists()
    assert User.objects.filter(username__in=["nieuwebuur", "tweedebuur"]).count() == 1


AXE_PAGES = [
    # (id, user or None, path)
    ("home", None, "/"),
    ("login", None, "/accounts/inloggen/"),
    ("register", None, "/accounts/registreren/"),
    ("profile", "bewoner", "/accounts/profiel/"),
    ("members", "ambtenaar", "/accounts/leden/"),
    ("codes", "ambtenaar", "/accounts/codes/"),
]


@pytest.mark.parametrize(
    ("username", "path"), [p[1:] for p in AXE_PAGES], ids=[p[0] for p in AXE_PAGES]
)
def test_axe_finds_no_wcag_violations(page, demo_data, username, path):
    if username:
        login(page, username)
    response = page.goto(path)
    assert response.status == 200
    assert page.url.endswith(path), page.url  # not bounced to the log-in page
    violations = run_axe(page)
    assert not violations, f"axe-core on {path}:\n{describe_violations(violations)}"


def test_axe_catches_a_violation(page, demo_data):
    """Guard against a silently broken axe run: a page with a known fault must fail."""
    page.goto("/")
    page.evaluate("document.querySelector('#language-select').removeAttribute('id')")
    violations = run_axe(page)
    assert "select-name" in {violation["id"] for violation in violations}


def test_pages_request_nothing_from_other_hosts(session, demo_data):
    page = session.page
    for path in ["/", "/accounts/inloggen/", "/accounts/registreren/"]:
        page.goto(path)
    login(page, "ambtenaar")
    for path in ["/accounts/profiel/", "/accounts/leden/", "/accounts/codes/"]:
        page.goto(path)
    assert session.requests, "the request log is empty: the recorder is broken"
    static = [url for url in session.requests if "/static/" in url]
    assert any(url.endswith("component-library.css") for url in static), static
    assert any(url.endswith("htmx.min.js") for url in static), static
    assert session.foreign_requests() == []
    assert session.failed == []


def test_screenshots(page, demo_data):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    login(page, "ambtenaar")
    page.goto("/accounts/leden/")
    rows = page.locator("main table tbody tr")
    # Every account (the demo users and the governance demo's extra seat holders) on one page.
    assert rows.count() == User.objects.count()
    for username in ("bewoner", "jongere", "adviseur", "ambtenaar", "beheerder"):
        assert rows.filter(has_text=username).count() >= 1
    page.screenshot(path=str(SHOTS / "members.png"), full_page=True)
    assert (SHOTS / "home.png").stat().st_size > 10_000
