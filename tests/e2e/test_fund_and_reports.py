"""The community fund, the contracts, the annual reports and open data in a real browser.

Anonymous visitors see the fund, the contracts, the published reports and the open data; a civil
servant requests a new report and opens the staff pages. Texts are compared with what Django
renders for Dutch (`translation.override("nl")`), money with `sroi.formatting.format_money` in
Dutch, and amounts with the ledger itself.
"""

import datetime
import hashlib
import re
from urllib.parse import urlsplit

import pytest
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext

from reports.models import AnnualReport
from reports.money import funds_in_scope
from sroi import selectors
from sroi.demo import FUND_NAME
from sroi.formatting import format_money
from sroi.models import Contract, Entry, Fund, Realisation
from tests.e2e.conftest import describe_violations, login, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

MUSEUM = "AMS-2024-0001"
RECONCILIATION = "Reconciliation: %(opening)s + %(total_in)s − %(total_out)s = %(closing)s"


MULTIPLE_HEADS = """() => [...document.querySelectorAll('main table')]
    .filter(table => table.querySelectorAll(':scope > thead').length > 1)
    .map(table => (table.caption ? table.caption.textContent : table.outerHTML.slice(0, 80)))"""


def dutch(message: str, **values) -> str:
    with translation.override("nl"):
        text = gettext(message)
    return text % values if values else text


def money_nl(amount) -> str:
    with translation.override("nl"):
        return format_money(amount)


def assert_accessible(page) -> None:
    violations = run_axe(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, f"{path}: HTTP {response.status}"
    assert urlsplit(page.url).path == path, page.url  # not bounced to the log-in page
    assert page.locator("html").get_attribute("lang") == "nl"


def last_year() -> int:
    return timezone.localdate().year - 1


def demo_fund() -> Fund:
    return Fund.objects.get(name=FUND_NAME)


def museum() -> Contract:
    return Contract.objects.select_related("contractor").get(reference=MUSEUM)


# --- Anonymous: the fund and the contracts ----------------------------------------------------


def test_public_fund_and_contract_pages(page, demo_data):
    fund = demo_fund()
    contract = museum()
    ledger_balance = Entry.objects.filter(account__fund=fund).aggregate(total=Sum("amount"))[
        "total"
    ]
    assert ledger_balance == selectors.fund_summary(fund).balance
    assert ledger_balance > 0

    # The overview of all funds links to the demo fund with its balance.
    visit(page, "/sroi/")
    funds = page.locator("[data-testid=funds]")
    assert fund.name in funds.inner_text()
    assert money_nl(ledger_balance) in funds.inner_text()
    overview_title = re.escape(dutch("Balance of all community funds over time"))
    assert page.get_by_role("img", name=re.compile(f"^{overview_title}")).count() == 1
    assert_accessible(page)

    # The fund's page: the balance, the chart with a name, the same numbers as a table.
    with page.expect_navigation():
        funds.get_by_role("link", name=fund.name).click()
    assert urlsplit(page.url).path == f"/sroi/fondsen/{fund.slug}/"
    assert page.get_by_role("heading", level=1).inner_text() == fund.name
    assert page.locator("[data-testid=balance]").inner_text() == money_nl(ledger_balance)

    chart = page.locator("svg#balance-chart")
    assert chart.count() == 1
    assert chart.get_attribute("role") == "img"
    title = dutch("Balance of %(name)s over time", name=fund.name)
    assert chart.locator("title").first.text_content() == title
    labelled_by = chart.get_attribute("aria-labelledby").split()
    assert "balance-chart-title" in labelled_by
    assert page.get_by_role("img", name=re.compile(f"^{re.escape(title)}")).count() == 1

    # Open the table behind the chart; its last month is today's balance.
    page.locator("details summary").filter(has_text=dutch("The chart as a table")).click()
    table = page.locator("[data-testid=balance-table]")
    assert table.is_visible()
    rows = table.locator("tbody tr")
    series = selectors.balance_series(fund)
    assert rows.count() == len(series)
    assert (
        rows.last.locator("td").inner_text() == money_nl(series[-1][1]) == money_nl(ledger_balance)
    )
    # The chart's points say the same as the table.
    assert chart.locator("circle").count() == len(series)
    assert_accessible(page)

    # The list of contracts, and the museum's public page.
    visit(page, "/sroi/contracten/")
    contracts = page.locator("[data-testid=contract-list]")
    assert contracts.locator("tbody tr").count() == Contract.objects.count()
    assert_accessible(page)
    with page.expect_navigation():
        contracts.get_by_role("link", name=MUSEUM).click()
    assert urlsplit(page.url).path == f"/sroi/contracten/{contract.pk}/"
    assert page.get_by_role("heading", level=1).inner_text().startswith(contract.title)
    assert (
        page.locator("[data-testid=obligation]")
        .inner_text()
        .startswith(money_nl(contract.obligation))
    )
    verified = Realisation.objects.filter(
        contract=contract, status=Realisation.Status.VERIFIED
    ).aggregate(total=Sum("value"))["total"]
    assert page.locator("[data-testid=verified]").inner_text() == money_nl(verified)
    counted = page.locator("[data-testid=by-block] tbody tr")
    assert counted.count() >= 1
    # Nobody is named: no person references, no contact person, no staff links.
    main = page.locator("main").inner_text()
    references = [
        reference
        for reference in Realisation.objects.filter(contract=contract).values_list(
            "person_reference", flat=True
        )
        if reference
    ]
    assert references, "the demo has realisations with person references"
    for reference in references:
        assert reference not in main
    assert contract.contractor.contact_name not in main
    assert contract.contractor.contact_email not in main
    assert dutch("Person reference") not in main
    assert page.locator("a[href*='/realisaties/'], a[href*='/beheer/']").count() == 0
    assert_accessible(page)


# --- Anonymous: the annual reports ------------------------------------------------------------


def test_report_archive_year_page_and_pdf_checksum(page, demo_data):
    year = last_year()
    report = AnnualReport.objects.get(year=year, language="nl", area=None, is_current=True)
    assert report.sha256 and len(report.sha256) == 64

    visit(page, "/rapporten/")
    row = (
        page.locator("main table tbody tr")
        .filter(has_text="Nederlands")
        .filter(has=page.locator("th", has_text=str(year)))
    )
    assert row.count() == 1
    shown_sha = row.locator("code").inner_text().strip()
    assert shown_sha == report.sha256
    assert_accessible(page)

    # The PDF behind the link is the published one, byte for byte.
    href = row.get_by_role("link", name=re.compile(r"^PDF")).get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == shown_sha
    assert response.headers["x-checksum-sha256"] == shown_sha

    # The year page: the same checksum, the reconciliation of the fund, no accessibility faults.
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile(str(year))).first.click()
    assert urlsplit(page.url).path == f"/rapporten/{year}/"
    assert str(year) in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("main code").first.inner_text().strip() == report.sha256
    fund = demo_fund()
    reconciliation = page.locator("p.reconciliation")
    assert reconciliation.count() == len(funds_in_scope(None, until=report.as_of))
    line = reconciliation.first.inner_text()
    opening = selectors.balance_on(fund, datetime.date(year - 1, 12, 31))
    closing = selectors.balance_on(fund, datetime.date(year, 12, 31))
    with translation.override("nl"):
        prefix = gettext(RECONCILIATION).split("%(")[0]  # "Controle: "
    assert line.startswith(prefix + money_nl(opening)), line
    assert line.rstrip().endswith("✓"), line
    assert money_nl(closing) in line, line
    assert "wrong" not in (reconciliation.first.get_attribute("class") or "")
    # Valid tables: at most one <thead> each (HTML allows no second one).
    assert page.evaluate(MULTIPLE_HEADS) == []
    assert_accessible(page)

    download = page.get_by_role("link", name=dutch("Download the PDF"))
    response = page.request.get(download.get_attribute("href"))
    assert response.status == 200
    assert hashlib.sha256(response.body()).hexdigest() == report.sha256


def test_the_year_page_fits_a_phone_and_its_tables_scroll_on_their_own(page, demo_data):
    """At 320 px (WCAG 1.4.10) the page is no wider than the screen: a wide table scrolls
    sideways in its own named region, which takes the keyboard's focus and moves with the arrow
    keys."""
    page.set_viewport_size({"width": 320, "height": 800})
    visit(page, f"/rapporten/{last_year()}/")
    assert (
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        == 0
    )
    outside = page.evaluate(
        "() => [...document.querySelectorAll('main table')]"
        ".filter(table => !table.parentElement.matches('.bk-table-scroll[role=region]'))"
        ".map(table => table.outerHTML.slice(0, 80))"
    )
    assert outside == []
    wide = page.locator("main .bk-table-scroll").filter(
        has=page.locator("caption", has_text=dutch("Money per fund"))
    )
    assert wide.get_attribute("aria-label") == dutch("Money per fund")
    assert wide.evaluate("region => region.scrollWidth > region.clientWidth")
    wide.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "region => region.scrollLeft > 0", arg=wide.element_handle(), timeout=5000
    )
    assert_accessible(page)
    # A shadow shows at the side with more columns: at the start on the right, at the end on
    # the left (the table hidden, so only the region's own background is compared).
    page.evaluate(
        "() => document.querySelectorAll('main table')"
        ".forEach(table => { table.style.visibility = 'hidden'; })"
    )
    wide.evaluate("region => { region.scrollLeft = 0; }")
    assert _edges(wide) == ("light", "shaded")
    wide.evaluate("region => { region.scrollLeft = region.scrollWidth; }")
    assert _edges(wide) == ("shaded", "light")


def _edges(region) -> tuple[str, str]:
    """How the left and right 6 px of `region` look: "shaded" when darker than white."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(region.screenshot())).convert("L")
    width, height = image.size

    def look(left: int) -> str:
        strip = image.crop((left, 0, left + 6, height))
        mean = sum(strip.tobytes()) / (6 * height)  # one byte a pixel in grey (mode L)
        return "shaded" if mean < 245 else "light"

    return look(0), look(width - 6)


# --- Anonymous: open data ---------------------------------------------------------------------


def test_open_data_page_and_a_csv_download(page, demo_data):
    visit(page, "/open-data/")
    assert_accessible(page)
    link = page.locator("main a[href$='.csv']").first
    href = link.get_attribute("href")
    assert href.startswith("/open-data/"), href
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.text()
    assert text.strip(), "the CSV is empty"
    assert "," in text.splitlines()[0]


# --- Civil servant ----------------------------------------------------------------------------


def test_civil_servant_requests_a_new_report(page, demo_data):
    year = last_year()
    before = AnnualReport.objects.get(year=year, language="nl", area=None, is_current=True)
    login(page, "ambtenaar")
    visit(page, "/rapporten/")
    staff = page.locator("section[aria-labelledby=staff-title]")
    assert staff.count() == 1
    assert_accessible(page)

    form = staff.locator("form")
    form.get_by_label(dutch("Year")).fill(str(year))
    form.locator("input[name=languages][value=nl]").check()
    form.locator("input[name=languages][value=en]").uncheck()
    with page.expect_navigation():
        form.get_by_role("button", name=dutch("Make the report")).click()
    assert urlsplit(page.url).path == "/rapporten/"
    messages = page.locator("main").inner_text()
    assert dutch("The report is requested; this page shows when it is ready.") in messages

    # Celery is eager here: the report is built during the request.
    new = AnnualReport.objects.get(year=year, language="nl", area=None, is_current=True)
    assert new.pk != before.pk
    assert new.version == before.version + 1
    assert new.is_done and new.sha256
    assert AnnualReport.objects.filter(year=year, language="en").count() == 1

    row = page.locator(f"#report-{new.pk}")
    assert row.count() == 1
    assert f"v{new.version}" in row.inner_text()
    assert row.locator(".utrecht-badge-status").inner_text() == dutch("current") == "huidig"
    # The status is announced from inside its cell; the cell itself stays a table cell.
    assert row.locator("td").count() == 4
    assert row.get_by_role("status").inner_text().strip() == dutch("Ready")
    assert page.locator("main td[role]").count() == 0
    pdf = row.get_by_role("link", name=re.compile(r"^PDF"))
    href = pdf.get_attribute("href")
    assert href == f"/rapporten/{year}/nl/v{new.version}.pdf"
    old_row = page.locator(f"#report-{before.pk}")
    assert old_row.locator(".utrecht-badge-status").inner_text() == dutch("replaced")
    response = page.request.get(href)
    assert response.status == 200
    assert hashlib.sha256(response.body()).hexdigest() == new.sha256
    # The public list now shows the new version's checksum.
    public = page.locator("main table").first.locator("tbody tr").filter(has_text="Nederlands")
    assert new.sha256 in public.inner_text()
    assert_accessible(page)


STAFF_PAGES = ["fund_staff", "contract_staff", "behind"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_are_accessible(page, demo_data, name):
    paths = {
        "fund_staff": f"/sroi/fondsen/{demo_fund().slug}/beheer/",
        "contract_staff": f"/sroi/contracten/{museum().pk}/beheer/",
        "behind": "/sroi/contracten/achterstand/",
    }
    login(page, "ambtenaar")
    visit(page, paths[name])
    if name == "fund_staff":
        rows = page.locator("[data-testid=transactions] tbody tr")
        assert rows.count() == min(demo_fund().transactions.count(), 50)
    elif name == "contract_staff":
        text = page.locator("[data-testid=realisations]").inner_text()
        assert "BSM-2024-001" in text  # staff do see the pseudonymous reference
    else:
        assert page.locator("[data-testid=behind-list]").count() == 1
    assert_accessible(page)
