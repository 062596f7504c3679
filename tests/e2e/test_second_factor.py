"""A new civil servant sets up the second step in a real browser, as a person would: the link
from the e-mail first (security review 2026-12-06, S5), then the app."""

import base64
import re
import time

import pytest
from django.core import mail
from django_otp.oath import TOTP

from accounts.models import Role
from tests.accounts.enrolment import link_in
from tests.accounts.factories import UserFactory
from tests.e2e.conftest import describe_violations, login, run_axe

pytestmark = pytest.mark.django_db(transaction=True)


def app_code(key_on_page: str) -> str:
    """What an authenticator app shows for the key typed over from the page."""
    generator = TOTP(base64.b32decode(key_on_page.replace(" ", "")))
    generator.time = time.time()
    return f"{generator.token():06d}"


def test_new_civil_servant_sets_up_the_app_and_then_reaches_staff_pages(page, demo_data):
    UserFactory(
        username="nieuweambtenaar", email="n.ambtenaar@gemeente.example", roles=[Role.CIVIL_SERVANT]
    )
    login(page, "nieuweambtenaar", "correct-horse-battery-9")
    assert "/accounts/tweede-stap/instellen/" in page.url

    # A staff page sends them back to the set-up, which shows no key before the e-mailed link.
    page.goto("/accounts/leden/")
    assert "/accounts/tweede-stap/instellen/" in page.url
    assert page.locator("h1").inner_text() == "De tweede stap instellen"
    assert page.locator("svg").count() == 0
    assert page.locator("[data-testid=totp-key]").count() == 0
    assert "n•••@gemeente.example" in page.locator("main").inner_text()
    violations = run_axe(page)
    assert not violations, f"axe-core on the link request:\n{describe_violations(violations)}"
    mail.outbox.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Stuur mij de link").click()
    assert "We hebben een link gestuurd" in page.locator("main").inner_text()
    (message,) = mail.outbox
    assert message.to == ["n.ambtenaar@gemeente.example"]

    # The link from the e-mail opens the set-up with the key, and leaves the address bar.
    page.goto(link_in(message))
    assert page.url.endswith("/accounts/tweede-stap/instellen/")
    assert page.locator("svg").count() >= 1  # the QR code
    violations = run_axe(page)
    assert not violations, f"axe-core on the set-up:\n{describe_violations(violations)}"

    key = page.locator("[data-testid=totp-key]").inner_text()
    form = page.locator("main form")
    form.locator("#id_token").fill(app_code(key))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    codes = page.locator("[data-testid=recovery-codes] li")
    assert codes.count() == 10
    assert re.fullmatch(r"[a-z2-7]{8}", codes.first.inner_text())
    violations = run_axe(page)
    assert not violations, f"axe-core on the recovery codes:\n{describe_violations(violations)}"
    with page.expect_navigation():
        page.locator("main a.utrecht-button-link").click()
    page.goto("/accounts/leden/")  # the staff pages are open now
    assert page.url.endswith("/accounts/leden/")
    assert page.locator("h1").count() == 1

    # The link is used up: opened again, it says so and shows no key.
    page.goto(link_in(message))
    assert page.locator("h1").inner_text() == "Deze link werkt niet meer"
    assert page.locator("[data-testid=totp-key]").count() == 0
    violations = run_axe(page)
    assert not violations, f"axe-core on the used link:\n{describe_violations(violations)}"
