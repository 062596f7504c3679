"""A resident votes in this year's budget round of the demo, with the running total in words;
the result page of a computed round explains every plan that is not paid for. axe-core on each."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import User
from budgeting import services
from budgeting.demo import THIS_YEAR_TITLE
from budgeting.models import Ballot, Round
from tests.e2e.conftest import describe_violations, login, run_axe, widest_element

pytestmark = pytest.mark.django_db(transaction=True)


def assert_accessible(page) -> None:
    violations = run_axe(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def test_a_resident_votes_in_the_budget_round_with_a_running_total(page, demo_data):
    round = Round.objects.get(title=THIS_YEAR_TITLE.format(year=timezone.localdate().year))
    login(page, "bewoner")
    page.goto("/begroting/")
    with page.expect_navigation():
        page.get_by_role("link", name=round.title).click()
    assert urlsplit(page.url).path == f"/begroting/{round.pk}/"
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Nu stemmen").click()
    assert urlsplit(page.url).path == f"/begroting/{round.pk}/stemmen/"
    total = page.locator("[data-testid=running-total]")
    assert total.inner_text() == "U koos 0 plannen. Samen kosten ze €\xa00."
    assert_accessible(page)

    # On a phone (320 px wide) nothing runs off the side of the screen.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, widest_element(page)
    page.set_viewport_size({"width": 1024, "height": 768})

    # With the keyboard: tab to the first plan and tick it with the space bar.
    page.locator("input[name=plans]").first.focus()
    page.keyboard.press("Space")
    assert total.inner_text() == "U koos 1 plan. Het kost €\xa09.000."
    page.get_by_label("3. Moestuin bij de Kikkenstein").check()
    page.get_by_label("1. Taalcafé in de bibliotheek").uncheck()
    assert total.inner_text() == "U koos 1 plan. Het kost €\xa018.000."
    page.get_by_label("1. Taalcafé in de bibliotheek").check()
    page.get_by_label("4. Huiswerkklas in het Ontwikkelhub").check()
    assert total.inner_text() == "U koos 3 plannen. Samen kosten ze €\xa051.000."

    with page.expect_navigation():
        page.get_by_role("button", name="Mijn stem uitbrengen").click()
    assert page.locator("[data-testid=voted]").is_visible()
    ballot = Ballot.objects.get(round=round, voter__username="bewoner")
    assert sorted(ballot.choices.values_list("plan__number", flat=True)) == [1, 3, 4]
    # with the two paper ballots of the demo, entered at the Community Home
    assert page.locator("[data-testid=ballot-count]").inner_text() == "3"


def test_the_result_page_explains_every_plan_not_paid_for(page, demo_data):
    round = Round.objects.get(title=THIS_YEAR_TITLE.format(year=timezone.localdate().year))
    plans = {p.number: p for p in round.plans.filter(number__isnull=False)}
    for username, numbers in (("bewoner", (1, 2, 3)), ("jongere", (2, 3, 6))):
        voter = User.objects.get(username=username)
        services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in numbers])
    # The demo round closes in two weeks; the computation is recorded as after closing.
    with freeze_time(round.voting_closes_at + timedelta(hours=1), tick=True):
        services.compute_outcome(actor=User.objects.get(username="ambtenaar"), round=round)
    page.goto(f"/begroting/{round.pk}/")
    table = page.locator("[data-testid=outcome]")
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == 6
    assert "Niemand koos dit plan." in table.inner_text()
    assert page.get_by_role("link", name=re.compile(r"^Pabulib-bestand \(\.pb\)")).get_attribute(
        "href"
    ) == (f"/begroting/{round.pk}/stembiljetten.pb")
    assert_accessible(page)


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


def test_an_officer_enters_a_paper_ballot_at_the_community_home_with_the_keyboard(page, demo_data):
    from django.contrib.auth import get_user_model

    from governance import officing
    from governance.models import Location, OfficerShift
    from governance.officing.demo import LOCATION
    from tests.accounts.factories import verified_in_person
    from tests.e2e.test_community_home import type_date

    round = Round.objects.get(title=THIS_YEAR_TITLE.format(year=timezone.localdate().year))
    home = Location.objects.get(name=LOCATION)
    officer = get_user_model().objects.create_user("tafel-begroting", password="tafel-e2e-2026")
    officing.add_shift(
        officer=verified_in_person(officer), location=home, task=OfficerShift.Task.CHECK_IN,
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=4),
        appointed_by="Besluit e2e", actor=None,
    )  # fmt: skip
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, "tafel-begroting", "tafel-e2e-2026")
    page.goto(f"/begroting/{round.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name=f"Papieren stembiljetten in {LOCATION}").click()
    assert urlsplit(page.url).path == f"/begroting/{round.pk}/buurthuis/{home.slug}/"
    assert_accessible(page)

    # find the resident by name and date of birth, with the keyboard only
    _tab_to(page, "#id_q")
    page.keyboard.type("Lisa Tjon")
    _tab_to(page, "#id_born")
    type_date(page, "#id_born", "1999", "02", "27")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    match = page.locator("[data-testid=match]")
    assert match.count() == 1 and "Tjon" in match.inner_text()
    assert_accessible(page)
    _tab_to(page, "[data-testid=enter-ballot]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/bewoner/" in page.url
    assert_accessible(page)

    # paper is chosen already; tick the plans on the paper: 1, 2 and 4
    assert page.locator("input[name=channel][value=paper]").is_checked()
    total = page.locator("[data-testid=running-total]")
    for number in (1, 2, 4):
        box = page.locator("input[name=plans]").nth(number - 1)
        _tab_to(page, f"input[name=plans][value='{box.get_attribute('value')}']")
        page.keyboard.press("Space")
    assert total.inner_text() == "U koos 3 plannen. Samen kosten ze €\xa048.000."
    _tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == f"/begroting/{round.pk}/buurthuis/{home.slug}/"
    assert "is opgeslagen" in page.content()
    assert_accessible(page)
    ballot = Ballot.objects.get(round=round, voter__username="demo-kiezer-lisa")
    assert ballot.channel == Ballot.Channel.PAPER and ballot.entered_by == officer
    assert ballot.location == home
    assert sorted(ballot.choices.values_list("plan__number", flat=True)) == [1, 2, 4]
    # on a phone the table fits 320 px, and says the resident has voted here
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/begroting/{round.pk}/buurthuis/{home.slug}/?q=Lisa+Tjon&born=1999-02-27")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, widest_element(page)
    assert f"Heeft al gestemd, in {LOCATION}" in page.locator("[data-testid=status]").inner_text()
    assert_accessible(page)
