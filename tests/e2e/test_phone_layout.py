"""The site on a phone (375 × 800): what matters is on the first screen and stays readable.

A wide table keeps its key column (the row's name) in view while it scrolls sideways; the
register shows its first result on the first screen (the filters fold away); the header takes at
most a quarter of the screen (the navigation folds away behind "Menu"); a chart's text is at
least 12 px. Screenshots go to `/tmp/e2e-shots/phone-*.png`.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import User
from budgeting import services
from budgeting.demo import THIS_YEAR_TITLE
from budgeting.models import Round
from governance.demo import ALLOCATION_TITLE
from governance.models import Proposal
from sroi.models import Fund
from tests.e2e.conftest import SHOTS, describe_violations, login, run_axe, widest_element

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 900}


def assert_accessible(page) -> None:
    violations = run_axe(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def assert_fits(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0, f"{page.url} is wider than the phone: {widest_element(page)}"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"phone-{name}.png"))


# For each body row of the region's table, scrolled to its far end: is the row's first cell
# inside the region and on top there (not covered by the cells that slid under it)?
KEY_COLUMN = """region => {
  region.scrollLeft = region.scrollWidth;
  const box = region.getBoundingClientRect();
  return [...region.querySelectorAll('tbody tr > :first-child')].map(cell => {
    window.scrollBy(0, cell.getBoundingClientRect().top - innerHeight / 2);  // the row in view
    const r = cell.getBoundingClientRect();
    const inside = r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1;
    const hit = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
    return {text: cell.textContent.trim().slice(0, 40), inside, onTop: !!hit && cell.contains(hit)};
  });
}"""


def assert_key_column_stays(region) -> None:
    region.scroll_into_view_if_needed()
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the table fits: nothing to test"
    cells = region.evaluate(KEY_COLUMN)
    assert cells, "no rows"
    hidden = [cell for cell in cells if not (cell["inside"] and cell["onTop"])]
    assert not hidden, f"key cells out of view after scrolling right: {hidden}"


# The caption's box and the sentences' cells of a scrolling table, against its region.
CAPTION_AND_PROSE = """region => {
  const box = region.getBoundingClientRect();
  const caption = region.querySelector('caption').getBoundingClientRect();
  const key = region.querySelector('tbody tr > :first-child').getBoundingClientRect().width;
  const prose = [...region.querySelectorAll('.bk-cell--prose')];
  return {
    captionInside: caption.left >= box.left - 1 && caption.right <= box.right + 1,
    room: box.width - key,
    widths: prose.map(cell => cell.getBoundingClientRect().width),
    rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
  };
}"""


def test_the_budget_rounds_outcome_keeps_the_plan_in_view_when_scrolled(page, demo_data):
    round = Round.objects.get(title=THIS_YEAR_TITLE.format(year=timezone.localdate().year))
    plans = {p.number: p for p in round.plans.filter(number__isnull=False)}
    voter = User.objects.get(username="bewoner")
    services.cast_ballot(actor=voter, round=round, plans=[plans[1], plans[2], plans[3]])
    with freeze_time(round.voting_closes_at + timedelta(hours=1), tick=True):
        services.compute_outcome(actor=User.objects.get(username="ambtenaar"), round=round)
    page.set_viewport_size(PHONE)
    page.goto(f"/begroting/{round.pk}/")
    region = page.locator(".bk-table-scroll").filter(has=page.locator("[data-testid=outcome]"))
    # Why a plan is not paid for reads as a few lines, not a word a line, and a whole cell fits
    # beside the plan's name; the caption wraps on the screen instead of running off it.
    shape = region.evaluate(CAPTION_AND_PROSE)
    assert shape["captionInside"], "the caption runs off the screen"
    assert shape["widths"], "no cells of sentences"
    for width in shape["widths"]:
        assert 10 * shape["rem"] <= width <= shape["room"] + 1, shape
    assert_key_column_stays(region)
    shoot(page, "outcome-scrolled")
    assert_fits(page)


def test_the_fund_pages_tables_keep_their_first_column_in_view_when_scrolled(page, demo_data):
    page.set_viewport_size(PHONE)
    page.goto("/sroi/")
    regions = page.locator("main .bk-table-scroll")
    scrolling = [
        regions.nth(i)
        for i in range(regions.count())
        if regions.nth(i).is_visible()
        and regions.nth(i).evaluate("r => r.scrollWidth > r.clientWidth")
    ]
    assert scrolling, "no table on /sroi/ scrolls at 375 px"
    for region in scrolling:
        assert_key_column_stays(region)
    scrolling[0].scroll_into_view_if_needed()
    shoot(page, "fund-table-scrolled")
    assert_fits(page)


def test_the_register_shows_its_first_result_on_the_first_screen(page, demo_data):
    page.set_viewport_size(PHONE)
    page.goto("/initiatieven/")
    first = page.locator("[data-testid=initiative]").first
    title = first.locator("h3").bounding_box()
    assert title["y"] + title["height"] <= PHONE["height"], f"first result at {title}"
    shoot(page, "register")
    # The search box is in view; the filters are one tap away, and work without JavaScript
    # (a <details>).
    assert page.get_by_label("Zoeken", exact=True).is_visible()
    area = page.get_by_label("Gebied", exact=True)
    assert not area.is_visible()
    page.locator("main details summary", has_text="Filteren").click()
    assert area.is_visible()
    assert_accessible(page)
    assert_fits(page)


def test_the_registers_filters_are_open_when_one_is_active_and_on_a_wide_screen(page, demo_data):
    page.set_viewport_size(PHONE)
    page.goto("/initiatieven/?phase=rijping")
    assert page.get_by_label("Gebied", exact=True).is_visible()
    # A search alone leaves the filters folded; its box stays in view with the words searched.
    page.goto("/initiatieven/?q=buurt")
    assert not page.get_by_label("Gebied", exact=True).is_visible()
    assert page.get_by_label("Zoeken", exact=True).input_value() == "buurt"
    # The same from the form, which sends every field with it.
    page.get_by_label("Zoeken", exact=True).fill("tuin")
    page.get_by_role("button", name="Tonen").click()
    assert "q=tuin" in page.url
    assert not page.get_by_label("Gebied", exact=True).is_visible()
    assert_accessible(page)
    page.set_viewport_size(WIDE)
    page.goto("/initiatieven/")
    assert page.get_by_label("Gebied", exact=True).is_visible()
    assert not page.locator("main details summary").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("username", [None, "bewoner", "jongere", "ambtenaar"])
def test_the_header_takes_at_most_a_quarter_of_a_phones_screen(page, demo_data, username):
    if username:
        login(page, username)
    page.set_viewport_size(PHONE)
    page.goto("/sroi/")
    height = page.locator("header.bk-header").bounding_box()["height"]
    assert height <= PHONE["height"] / 4, f"the header is {height} px high"
    shoot(page, f"header-{username or 'anonymous'}")
    # The skip link is still the first stop of the keyboard, and goes to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('utrecht-skip-link')")
    # The menu opens from the keyboard; its links are then in view.
    link = page.locator("header nav").get_by_role("link", name="Stemmen")
    assert not link.is_visible()
    summary = page.locator("header summary", has_text="Menu")
    summary.focus()
    page.keyboard.press("Enter")
    assert link.is_visible()
    shoot(page, f"header-{username or 'anonymous'}-menu")
    assert_accessible(page)
    assert_fits(page)


def test_the_navigation_is_in_view_on_a_wide_screen(page, demo_data):
    page.set_viewport_size(WIDE)
    page.goto("/")
    assert page.locator("header nav").get_by_role("link", name="Stemmen").is_visible()
    assert not page.locator("header summary").is_visible()


@pytest.mark.parametrize("username", ["ambtenaar", "beheerder"])
def test_the_staff_navigation_stays_on_one_line_at_1280_px(page, demo_data, username):
    """Look review 2026-12-06, 19: at 1280 px "Taken 4" sat alone on a second line. The
    longest menus: the civil servant's (with the to-do count) and the administrator's (with
    "Administration", in English)."""
    login(page, username)
    page.set_viewport_size(WIDE)
    for language in ("nl", "en"):
        if language == "en":
            page.select_option("#language-select", "en")
            with page.expect_navigation():
                page.locator("header form.bk-language button").click()
        page.goto("/")
        tops = page.locator("header nav li").evaluate_all(
            "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
        )
        shoot(page, f"wide-nav-{username}-{language}")
        assert len(tops) >= 10 and len(set(tops)) == 1, f"{language}: the menu wraps: {tops}"


# The smallest text of the page's charts as drawn: the font size in the SVG's own units times
# the SVG's scale on the screen.
SMALLEST_CHART_TEXT = """() => {
  const sizes = [...document.querySelectorAll('main svg[viewBox] text')].map(text => {
    const svg = text.closest('svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(text).fontSize) * scale;
  });
  return sizes.length ? Math.min(...sizes) : null;
}"""


@pytest.mark.parametrize("path", ["/sroi/", "report"])
def test_chart_text_is_at_least_12_px_on_a_phone(page, demo_data, path):
    if path == "report":
        path = f"/rapporten/{timezone.localdate().year - 1}/"
    page.set_viewport_size(PHONE)
    response = page.goto(path)
    assert response.status == 200
    smallest = page.evaluate(SMALLEST_CHART_TEXT)
    assert smallest is not None, f"no chart on {path}"
    assert smallest >= 12, f"chart text of {smallest:.1f} px on {path}"
    # a chart starts where the page's text starts, not indented (a figure's own margin)
    lefts = page.evaluate(
        "() => [...document.querySelectorAll('main figure, main h1')]"
        ".map(e => Math.round(e.getBoundingClientRect().left))"
    )
    assert len(set(lefts)) == 1, f"the heading and the figures start at {lefts} px"
    page.locator("main svg[viewBox]").first.scroll_into_view_if_needed()
    shoot(page, "chart-" + path.strip("/").replace("/", "-"))
    assert_fits(page)
    assert_accessible(page)


def test_the_breadcrumbs_separator_stays_beside_its_link_on_a_phone(page, demo_data):
    from governance.models import Proposal

    counted = Proposal.objects.filter(method=Proposal.Method.POLL, decision__isnull=False).first()
    page.set_viewport_size(PHONE)
    assert page.goto(f"/voorstellen/{counted.pk}/stembiljetten/").status == 200
    # the "/" before a link is on the link's first line, not on a line of its own
    gaps = page.evaluate(
        "() => [...document.querySelectorAll('.utrecht-breadcrumb-nav__item + "
        ".utrecht-breadcrumb-nav__item > a')].map(a => Math.round("
        "a.getBoundingClientRect().top - a.parentElement.getBoundingClientRect().top))"
    )
    assert gaps and max(gaps) < 8, f"links start {gaps} px below their separator"
    shoot(page, "breadcrumb")
    assert_fits(page)


# What matches `pattern` in the text of `root` (or of its elements `within`) and the browser
# put on two lines: a word broken inside, a negative amount's "−" apart from its "€". A break
# right after a soft hyphen is the word's own (it shows as "gemeen- / schap").
SPLIT_OVER_LINES = """(root, [within, pattern]) => {
  const split = [];
  const top = (node, at) => {  // the line of one character; null when it takes no room
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    // its last box: the character after a soft hyphen has the hyphen's box on the line before
    const box = [...range.getClientRects()].filter(box => box.width > 0).pop();
    return box ? Math.round(box.top) : null;
  };
  for (const box of within ? root.querySelectorAll(within) : [root]) {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const found of node.data.matchAll(new RegExp(pattern, 'g'))) {
        let line = null, after = '';
        for (let at = found.index; at < found.index + found[0].length; at++) {
          const here = top(node, at);
          if (here === null) continue;
          if (line !== null && here !== line && after !== '\\u00ad') {
            split.push(found[0]);
            break;
          }
          line = here;
          after = node.data[at];
        }
      }
    }
  }
  return split;
}"""


def test_the_tally_and_the_roll_call_break_no_word(page, demo_data):
    """On a 390 px phone the tally's headings read "Vo / or", "Teg / en" and "Onthou / ding",
    and the roll call's "Stem / men" (noticed 2026-12-07): `overflow-wrap: anywhere` let the
    browser squeeze every column to a letter. The tally has the choices as rows now, the roll
    call the side under the name. At 320 px (or 400 % zoom) the tally's headings read "Alle /
    stem / men" and "gemeensch / ap" (noticed 2026-12-07): a long heading breaks only where its
    translation has a soft hyphen ("gemeen- / schap"), in Dutch and in English."""
    proposal = Proposal.objects.get(title=ALLOCATION_TITLE)
    for language in ("nl", "en"):
        if language == "en":  # the header's switch, on the wide screen the loop ended on
            switch = page.locator("header form[action*='setlang']")
            switch.locator("#language-select").select_option("en")
            with page.expect_navigation():
                switch.locator("button[type=submit]").click()
        for width in (320, 360, 375, 390, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(proposal.get_absolute_url())
            for testid in ("decision", "roll-call"):
                table = page.locator(f"[data-testid={testid}] table")
                words = table.evaluate(SPLIT_OVER_LINES, ["th, td", r"\S+"])
                assert words == [], f"{testid} at {width} px in {language}"
            page.locator("[data-testid=decision]").scroll_into_view_if_needed()
            shoot(page, f"tally-{language}-{width}")
            assert_fits(page)


def test_the_accessibility_statements_heading_breaks_at_its_soft_hyphen(page, demo_data):
    """On a 375 px phone the heading read "Toegankelijkheidsverklarin / g" (noticed 2026-12-06):
    one word wider than the screen, and this browser has no Dutch hyphenation. Its translation
    has a soft hyphen: "Toegankelijkheids- / verklaring"."""
    for width in (320, 375, 390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.goto("/toegankelijkheid/").status == 200
        heading = page.locator("main h1")
        assert heading.evaluate(SPLIT_OVER_LINES, [None, r"\S+"]) == [], f"at {width} px"
        assert heading.inner_text().replace("\u00ad", "") == "Toegankelijkheidsverklaring"
        assert_fits(page)
    shoot(page, "accessibility-heading")


def test_a_negative_amount_keeps_its_minus_beside_the_euro_sign_on_a_phone(page, demo_data):
    """The staff ledger on a 375 px phone showed "−" at the end of a line and "€ 30.000,00" on
    the next, a positive-looking amount (noticed 2026-12-07): a browser may break a line
    between the two signs. The `money` filter keeps a negative amount on one line."""
    login(page, "ambtenaar")
    page.set_viewport_size(PHONE)
    fund = Fund.objects.order_by("pk").first()
    page.goto(reverse("sroi:fund_staff", kwargs={"slug": fund.slug}))
    assert "−€" in page.locator("main").inner_text(), "no negative amount on the page"
    assert page.locator("main").evaluate(SPLIT_OVER_LINES, [None, "−€"]) == []
