"""The NL Design System front end as each role sees it: every main page at 320, 1024 and 1440 px
wide has no sideways scroll, axe-core finds nothing serious or critical, and the keyboard focus is
visible. Screenshots land in /tmp/e2e-shots/nlds/ to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from governance import officing
from governance.models import Location, OfficerShift, Proposal
from initiatives.models import Initiative
from tests.accounts.factories import verified_in_person
from tests.roles import ROLES

from .conftest import describe_violations, login, run_axe, widest_element

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [320, 1024, 1440]
SHOTS = Path("/tmp/e2e-shots/nlds")
OPEN_POLL = "Peiling: Community Home ook in het weekend open?"
PUBLIC = ["/", "/initiatieven/", "/voorstellen/", "/sroi/", "/rapporten/", "/open-data/"]


def _officer_station() -> str:
    poll = Proposal.objects.get(title=OPEN_POLL)
    home = Location.objects.order_by("pk").first()
    officing.offer_poll_at(proposal=poll, location=home, actor=None)
    officer = get_user_model().objects.create_user("tafel-nlds", password="tafel-nlds-demo")
    officing.add_shift(
        officer=verified_in_person(officer),
        location=home,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=4),
        task=OfficerShift.Task.CHECK_IN,
        appointed_by="Besluit e2e",
        actor=None,
    )
    return f"/voorstellen/{poll.pk}/stembureau/{home.slug}/"


def _pages(role: str) -> tuple[str | None, list[str]]:
    """Who logs in for a role, and that role's main pages."""
    poll = Proposal.objects.get(title=OPEN_POLL)
    initiative = Initiative.objects.order_by("pk").first()
    decided = Proposal.objects.filter(status__in=Proposal.PUBLIC).exclude(pk=poll.pk).first()
    vote = reverse("governance:open_votes")
    if role == "anonymous":
        pages = [*PUBLIC, reverse("accessibility"), reverse("login")]
        pages += [f"/initiatieven/{initiative.slug}/", f"/voorstellen/{decided.pk}/"]
        return None, pages
    if role in ("community_member", "trustee"):  # the demo's `bewoner` holds a key share too
        key = reverse("governance:pick_up_share", args=[poll.pk])
        mine = [vote, f"/voorstellen/{poll.pk}/", reverse("accounts:profile")]
        return "bewoner", ["/", *mine] + ([key] if role == "trustee" else [])
    if role == "youth_council":
        return "jongere", ["/", vote, f"/voorstellen/{poll.pk}/"]
    if role == "advisory_member":
        return "adviseur", ["/", "/voorstellen/", f"/voorstellen/{decided.pk}/"]
    if role == "officer":
        return "tafel-nlds", [_officer_station()]
    if role == "civil_servant":
        staff = ["/taken/", "/intake/", "/initiatieven/nieuw/", reverse("accounts:members")]
        return "ambtenaar", staff + [reverse("accounts:codes"), "/sroi/", "/rapporten/"]
    if role == "administrator":
        return "beheerder", ["/", reverse("accounts:members"), "/initiatieven/"]
    raise AssertionError(role)


def _overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def _focus_is_visible(page) -> bool:
    """Tab from the top: the skip link, then the first header link; both show an outline."""
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    page.locator("body").focus()
    for _ in range(2):
        page.keyboard.press("Tab")
        shown = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return false;
                const style = getComputedStyle(el);
                const box = el.getBoundingClientRect();
                return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                    && box.width > 0 && box.height > 0 && box.bottom > 0;
            }"""
        )
        if not shown:
            return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_fits_passes_axe_and_shows_the_focus(new_session, demo_data, role):
    username, pages = _pages(role)
    page = new_session().page
    if username == "tafel-nlds":
        login(page, username, "tafel-nlds-demo")
    elif username:
        login(page, username)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages:
            page.goto(path)
            assert page.url.rstrip("/").endswith(path.rstrip("/")), f"{role}: {path} -> {page.url}"
            name = f"{role}{path.replace('/', '_')}{width}.png"
            page.screenshot(path=str(SHOTS / name), full_page=True)
            if (extra := _overflow(page)) > 0:
                problems.append(
                    f"{path} at {width} px is {extra} px too wide: {widest_element(page)}"
                )
            if serious := _serious(run_axe(page)):
                problems.append(f"{path} at {width} px:\n{describe_violations(serious)}")
            if width == WIDTHS[0] and not _focus_is_visible(page):
                problems.append(f"{path}: the keyboard focus is not visible")
    assert not problems, f"{role}:\n" + "\n".join(problems)


def test_the_skip_link_is_hidden_until_it_has_the_focus(page, demo_data):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/")
    skip = page.locator("a.utrecht-skip-link")
    assert skip.bounding_box()["y"] + skip.bounding_box()["height"] <= 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_session_warning_stays_hidden_until_it_is_due(page, demo_data):
    # A component's display (the alert is a block) must not override the `hidden` attribute.
    login(page, "bewoner")
    page.goto("/")
    assert page.locator("#session-warning").count() == 1
    assert not page.locator("#session-warning").is_visible()
