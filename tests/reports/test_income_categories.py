"""Every transaction says which figure of the annual report it counts in (`categorie`), so the
annex and the open data add up to the report's own split of money in (from contracts, from the
municipality, other income, returned) and out (paid out), not only to its totals. The
journalist's finding of 2026-12-06: a municipal top-up showed as 'other_income' only."""

import csv
import datetime
import io
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from reports import annex, opendata, services, snapshot
from reports.models import AnnualReport
from reports.money import ReportDoesNotReconcile
from sroi import services as sroi_services
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import ContractFactory, allocate, bookkeeper, funded

pytestmark = pytest.mark.django_db

YEAR = 2025
D = Decimal
IN_CATEGORIES = ("van_contracten", "van_gemeente", "overige_inkomsten", "teruggestort")


def _year_of_every_kind():
    """A top-up from the municipality (10 January), other income, a contribution, a tranche, a
    return, and a reversal of part of the other income."""
    fund = funded("20000.00")
    other = sroi_services.record_other_income(
        fund=fund,
        amount="700.00",
        date=datetime.date(YEAR, 2, 1),
        description="Gift van een stichting",
        actor=None,
        from_municipality=False,
    )
    sroi_services.record_contribution(
        fund=fund,
        contract=ContractFactory(),
        amount="500.00",
        date=datetime.date(YEAR, 2, 2),
        actor=None,
    )
    allocation = allocate(
        fund=fund,
        initiative=InitiativeFactory(),
        amount=D("900.00"),
        purpose="Buurtwerk",
        date=datetime.date(YEAR, 3, 1),
    )
    sroi_services.disburse(
        allocation=allocation, amount="400.00", date=datetime.date(YEAR, 3, 2), actor=bookkeeper()
    )
    sroi_services.return_unspent(
        allocation=allocation, amount="50.00", date=datetime.date(YEAR, 4, 1), actor=bookkeeper()
    )
    sroi_services.reverse_transaction(
        transaction=other,
        reason="Dubbel geboekt",
        actor=bookkeeper(),
        date=datetime.date(YEAR, 5, 1),
    )
    return fund


def _build() -> AnnualReport:
    report = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    return services.build_report(report_id=report.pk)


def _annex_rows(report: AnnualReport) -> list[dict]:
    found = next(
        f
        for f in report.snapshot["annex"]["files"]
        if (f["name"], f["format"]) == ("transacties", "csv")
    )
    with default_storage.open(found["path"], "rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode())))


def _per_category(rows: list[dict]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        sums[row["categorie"]] += D(str(row["wijziging_fondstotaal"]))
    return sums


def test_the_annex_adds_up_per_category_to_the_reports_split_of_money_in_and_out():
    # given
    _year_of_every_kind()
    # when
    report = _build()
    # then the top-up is 'van_gemeente', not 'overige inkomsten'
    rows = _annex_rows(report)
    top_up = next(row for row in rows if row["datum"] == "2025-01-10")
    assert (top_up["soort"], top_up["categorie"]) == ("other_income", "van_gemeente")
    # and a journalist who adds the file up per category gets the report's own figures
    fund = report.snapshot["funds"][0]
    sums = _per_category(rows)
    source = fund["in_by_source"]
    assert sums["van_gemeente"] == D(source["municipality"]) == D("20000.00")
    assert sums["overige_inkomsten"] == D(source["other"]) == D("0.00")  # reversed
    assert sums["van_contracten"] == D(source["contracts"]) == D("500.00")
    assert sums["teruggestort"] == D(source["returned"]) == D("50.00")
    assert -sums["uitbetaald"] == D(fund["out_by_kind"]["paid_out"]) == D("400.00")
    assert sums["binnen_fonds"] == 0
    # and the report's reconciliation shows the check per category, every one the same
    [check] = report.snapshot["annex"]["reconciliation"]
    assert check["matches"]
    by_category = {row["category"]: row for row in check["by_category"]}
    assert set(by_category) == {*IN_CATEGORIES, "uitbetaald"}
    assert all(row["matches"] for row in by_category.values())
    assert D(by_category["van_gemeente"]["annex"]) == D("20000.00")
    assert D(by_category["uitbetaald"]["annex"]) == D("400.00")
    # and the stored file, added up again, gives the same
    stored = next(iter(annex.annex_sums(_file_path(report)).values()))
    assert stored["categories"]["van_gemeente"] == D("20000.00")


def _file_path(report: AnnualReport) -> str:
    return next(
        f["path"]
        for f in report.snapshot["annex"]["files"]
        if (f["name"], f["format"]) == ("transacties", "csv")
    )


def test_the_year_page_shows_the_annex_per_category(client):
    _year_of_every_kind()
    _build()
    response = client.get(f"/rapporten/{YEAR}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="annex-categories"' in html
    assert "(van_gemeente)" in html and "(overige_inkomsten)" in html


def test_an_annex_that_puts_a_top_up_under_other_income_stops_the_report(monkeypatch):
    # given an annex writer that files money from the municipality as other income (the old
    # export's mistake), while the totals in and out stay the same
    _year_of_every_kind()
    real = annex.opendata.stream_transaction_rows

    def municipality_as_other(*args, **kwargs):
        for row in real(*args, **kwargs):
            if row["categorie"] == "van_gemeente":
                row = {**row, "categorie": "overige_inkomsten"}
            yield row

    monkeypatch.setattr(annex.opendata, "stream_transaction_rows", municipality_as_other)
    report = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    # then
    with pytest.raises(ReportDoesNotReconcile):
        services.build_report(report_id=report.pk)


def test_open_data_transactions_add_up_per_category_to_the_funds_per_year(client):
    # given
    fund = _year_of_every_kind()
    # when
    response = client.get("/open-data/transacties.csv", {"jaar": YEAR})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    data = json.loads(
        b"".join(client.get("/open-data/transacties.json", {"jaar": YEAR}).streaming_content),
        parse_float=Decimal,
    )
    # then the CSV and the JSON both have the column, with the same values
    assert "categorie" in [column["name"] for column in data["columns"]]
    assert [row["categorie"] for row in rows] == [row["categorie"] for row in data["rows"]]
    # and per category they give the columns of fondsen.csv
    [year] = [row for row in opendata.fund_rows(opendata.Period(YEAR)) if row["fonds"] == fund.slug]
    sums = _per_category(rows)
    for name in IN_CATEGORIES:
        assert sums[name] == year[name], name
    assert -sums["uitbetaald"] == year["uitbetaald"]
    assert sum((sums[name] for name in IN_CATEGORIES), D(0)) == year["totaal_in"]


def test_the_category_column_is_described():
    described = {column.name: str(column.description) for column in opendata.TRANSACTION_COLUMNS}
    for value in (*IN_CATEGORIES, "uitbetaald", "binnen_fonds"):
        assert f"'{value}'" in described["categorie"]


def test_a_reconciliation_frozen_before_the_categories_still_reads():
    # A report frozen before the column: its reconciliation has no `by_category`.
    check = snapshot.decode(
        snapshot.AnnexCheck,
        {
            "fund": "Fonds",
            "slug": "fonds",
            "lines": 1,
            "annex_rows": 1,
            "total_in": "10.00",
            "annex_in": "10.00",
            "total_out": "0.00",
            "annex_out": "0.00",
            "change": "10.00",
            "opening": "0.00",
            "closing": "10.00",
            "matches": True,
        },
    )
    assert check.by_category == ()
