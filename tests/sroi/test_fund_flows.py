"""The public fund pages add up: every source in, every kind of outflow, opening + in − out = balance."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from freezegun import freeze_time

from sroi import services
from sroi.formatting import format_money

from .factories import ContractFactory, InitiativeFactory, allocate, bookkeeper, make_fund

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def ledger(civil_servant):
    """2025: € 1.000 from a contract. 2026: € 2.000 more, the municipality's € 50.000 top-up,
    € 200 other income, € 700 allocated, € 300 paid out, € 50 returned."""
    fund = make_fund("Gemeenschapsfonds Zuidoost")
    contract = ContractFactory(reference="AMS-1", title="Museum")
    initiative = InitiativeFactory(name="Buurtkeuken", slug="buurtkeuken")
    services.record_contribution(
        fund=fund,
        contract=contract,
        amount=D("1000.00"),
        date=datetime.date(2025, 3, 1),
        actor=None,
    )
    services.record_contribution(
        fund=fund,
        contract=contract,
        amount=D("2000.00"),
        date=datetime.date(2026, 2, 1),
        actor=None,
    )
    services.record_other_income(
        fund=fund,
        amount=D("50000.00"),
        date=datetime.date(2026, 2, 2),
        description="Aanvulling gemeente",
        actor=civil_servant,
    )
    services.record_other_income(
        fund=fund,
        amount=D("200.00"),
        date=datetime.date(2026, 2, 3),
        description="Gift",
        from_municipality=False,
        actor=civil_servant,
    )
    allocation = allocate(
        fund=fund,
        initiative=initiative,
        amount=D("700.00"),
        purpose="Keuken",
        date=datetime.date(2026, 3, 1),
    )
    services.disburse(
        allocation=allocation,
        amount=D("300.00"),
        date=datetime.date(2026, 3, 2),
        actor=bookkeeper(),
    )
    services.return_unspent(
        allocation=allocation, amount=D("50.00"), date=datetime.date(2026, 4, 1), actor=bookkeeper()
    )
    return fund


def cell(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert found, testid
    return found.group(1).strip()


EXPECTED = {
    "flows-opening": D("1000.00"),
    "flows-contracts": D("2000.00"),
    "flows-municipality": D("50000.00"),
    "flows-other": D("200.00"),
    "flows-returned": D("50.00"),
    "flows-in": D("52250.00"),
    "flows-paid-out": D("300.00"),
    "flows-out": D("300.00"),
    "flows-closing": D("52950.00"),
}


@freeze_time("2026-06-15")
@pytest.mark.parametrize("url", ["/sroi/", "/sroi/fondsen/gemeenschapsfonds-zuidoost/"])
def test_the_page_shows_every_source_and_adds_up_to_the_balance(client, ledger, url):
    # given a fund with a municipal top-up, other income, a tranche and a return
    # when anyone opens the overview or the fund page
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    # then every source in and every kind of outflow is on the page ...
    with translation.override("nl"):
        for testid, amount in EXPECTED.items():
            assert cell(html, testid) == format_money(amount), testid
        # ... and opening + in − out is the balance the page shows
        assert cell(html, "balance") == format_money(EXPECTED["flows-closing"])
        assert EXPECTED["flows-opening"] + EXPECTED["flows-in"] - EXPECTED["flows-out"] == D(
            "52950.00"
        )
    # in words, too
    assert "Op 1 januari was er" in html
    assert "€\u00a050.000,00" in html  # the municipal top-up (missing before)


@freeze_time("2026-06-15")
def test_the_sentence_is_in_english_too(client, ledger):
    client.cookies["django_language"] = "en"
    html = client.get("/sroi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "On 1 January there was" in html
    assert "Top-ups from the municipality" in html


@freeze_time("2026-06-15")
def test_open_data_has_the_same_figures_per_fund_and_year(client, ledger):
    response = client.get("/open-data/fondsen.csv", {"jaar": "alle"})
    body = b"".join(response.streaming_content).decode()
    rows = {row["jaar"]: row for row in csv.DictReader(io.StringIO(body))}
    assert set(rows) == {"2025", "2026"}
    assert (rows["2025"]["begin"], rows["2025"]["eind"]) == ("0.00", "1000.00")
    assert rows["2025"]["tussenstand"] == "false"
    year = rows["2026"]
    assert year["tussenstand"] == "true" and year["peildatum"] == "2026-06-15"
    for column, testid in (
        ("begin", "flows-opening"),
        ("van_contracten", "flows-contracts"),
        ("van_gemeente", "flows-municipality"),
        ("overige_inkomsten", "flows-other"),
        ("teruggestort", "flows-returned"),
        ("totaal_in", "flows-in"),
        ("uitbetaald", "flows-paid-out"),
        ("totaal_uit", "flows-out"),
        ("eind", "flows-closing"),
    ):
        assert D(year[column]) == EXPECTED[testid], column


@freeze_time("2026-06-15")
def test_the_report_splits_money_in_by_source_like_the_fund_page(client, ledger, civil_servant):
    client.force_login(civil_servant)
    html = client.get("/rapporten/2026/?voorbeeld=1", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    with translation.override("nl"):
        expected = (
            f"Inkomsten: {format_money(D('2000.00'))} social return van opdrachten, "
            f"{format_money(D('50000.00'))} van de gemeente, {format_money(D('200.00'))} overige "
            f"inkomsten en {format_money(D('50.00'))} terug van initiatieven."
        )
    assert expected in html


def _row(html: str, testid: str) -> list[str]:
    """The cells of the table row marked `testid`, as text."""
    row = re.search(rf'data-testid="{testid}"(.*?)</tr>', html, re.S)
    assert row, testid
    return [text.strip() for text in re.findall(r"<t[hd][^>]*>([^<]*)<", row.group(1))]


@freeze_time("2026-06-15")
@pytest.mark.parametrize("url", ["/sroi/", "/sroi/fondsen/gemeenschapsfonds-zuidoost/"])
def test_the_tables_since_the_start_add_up_to_the_balance(client, ledger, url):
    # given the fund above: over two years € 3.000 from the contract, € 50.000 from the
    # municipality, € 200 other income and € 50 returned came in; € 300 was paid out
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    with translation.override("nl"):
        money = {key: format_money(D(value)) for key, value in (
            ("in", "53250.00"), ("out", "300.00"), ("balance", "52950.00"),
            ("municipality", "50000.00"), ("other", "200.00"), ("returned", "50.00"),
        )}  # fmt: skip
    # then where the money came from lists every source beside the contracts, with their total
    assert _row(html, "source-municipality") == [
        "Aanvullingen van de gemeente",
        money["municipality"],
    ]
    assert _row(html, "source-other") == ["Overige inkomsten", money["other"]]
    assert _row(html, "source-returned")[1] == money["returned"]
    assert cell(html, "sources-total") == money["in"]
    # ... and in words: what came in minus what was paid out is the balance
    sentence = cell(html, "since-start")
    assert sentence == (
        f"Sinds het begin kwam er {money['in']} bij en ging er {money['out']} naar initiatieven. "
        f"Nu zit er dus {money['balance']} in het fonds."
    )
    assert cell(html, "balance") == money["balance"]
    # and the initiatives' table has its total: granted, paid out net of the return, still to pay
    with translation.override("nl"):
        granted, paid, still = (format_money(D(v)) for v in ("700.00", "250.00", "400.00"))
    assert _row(html, "per-initiative-total") == ["Totaal", granted, paid, still]


def test_a_fund_without_money_says_nothing_came_in(client):
    make_fund("Leeg fonds")
    html = client.get("/sroi/fondsen/leeg-fonds/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    with translation.override("nl"):
        zero = format_money(D("0.00"))
    assert cell(html, "sources-total") == zero
    assert 'data-testid="source-' not in html and 'data-testid="per-initiative-total"' not in html


@pytest.mark.parametrize(
    ("language", "top_up", "other"),
    [
        ("nl", "Aanvulling van de gemeente", "Overige inkomsten"),
        ("en", "Top-up from the municipality", "Other income"),
    ],
)
def test_the_staff_ledger_calls_the_municipality_s_money_a_top_up(
    client, ledger, civil_servant, language, top_up, other
):
    """Review 2026-12-06, finding 10: the public page said "Aanvullingen van de gemeente", the
    staff ledger "Overige inkomsten" for the same € 50.000."""
    client.force_login(civil_servant)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.get("/sroi/fondsen/gemeenschapsfonds-zuidoost/beheer/").content.decode()
    kinds = re.findall(r'data-testid="transaction-kind">([^<]*)<', html)
    assert kinds.count(top_up) == 1 and kinds.count(other) == 1
    assert ("Aanvulling van de gemeente of andere inkomsten vastleggen" in html) == (
        language == "nl"
    )
