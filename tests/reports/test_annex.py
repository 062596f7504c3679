"""The annual report's annex: every ledger line of the year exactly once, frozen with the version,
its checksums printed in the PDF, and adding up to the report's totals."""

import csv
import datetime
import hashlib
import io
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import override_settings
from freezegun import freeze_time
from pypdf import PdfReader

from reports import annex, services, snapshot
from reports.content import annual_report_content
from reports.models import AnnualReport
from reports.money import ReportDoesNotReconcile
from reports.rendering import output, render_print_html
from sroi import services as sroi_services
from sroi.models import Transaction
from tests.initiatives.factories import InitiativeFactory
from tests.roles import ACCOUNT_ROLES
from tests.sroi.factories import ContractFactory, allocate, bookkeeper, funded

pytestmark = pytest.mark.django_db

YEAR = 2025


def _year_of_money(allocations: int = 3):
    """Money in from a top-up and a contract, allocations with a tranche each, one reversal."""
    fund = funded("20000.00")  # 10 January 2025
    contract = ContractFactory()
    sroi_services.record_contribution(
        fund=fund, contract=contract, amount="500.00", date=datetime.date(YEAR, 2, 1), actor=None
    )
    initiative = InitiativeFactory()
    for index in range(allocations):
        day = datetime.date(YEAR, 3, 1) + datetime.timedelta(days=index % 200)
        allocation = allocate(
            fund=fund,
            initiative=initiative,
            amount=Decimal("100.00") + index,
            purpose="Buurtwerk",
            date=day,
        )
        tranche = sroi_services.disburse(
            allocation=allocation, amount="40.00", date=day, actor=bookkeeper()
        )
    sroi_services.reverse_transaction(
        transaction=tranche,
        reason="Dubbel betaald",
        actor=bookkeeper(),
        date=datetime.date(YEAR, 11, 1),
    )
    return fund


def _build(language: str = "nl") -> AnnualReport:
    report = services.request_report(year=YEAR, language=language, dispatch=False, actor=None)
    return services.build_report(report_id=report.pk)


def _file(report: AnnualReport, name: str, fmt: str) -> dict:
    return next(
        f for f in report.snapshot["annex"]["files"] if (f["name"], f["format"]) == (name, fmt)
    )


def _read(found: dict) -> bytes:
    with default_storage.open(found["path"], "rb") as handle:
        return handle.read()


def _pdf_text(report: AnnualReport) -> str:
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_every_ledger_line_of_the_year_is_in_the_annex_exactly_once():
    # given
    _year_of_money()
    in_year = sorted(Transaction.objects.filter(date__year=YEAR).values_list("pk", flat=True))
    # when
    report = _build()
    # then
    assert report.status == AnnualReport.Status.DONE
    rows = list(csv.DictReader(io.StringIO(_read(_file(report, "transacties", "csv")).decode())))
    assert sorted(int(row["id"]) for row in rows) == in_year
    data = json.loads(_read(_file(report, "transacties", "json")))
    assert sorted(row["id"] for row in data["rows"]) == in_year
    assert _file(report, "transacties", "csv")["rows"] == len(in_year)


def test_the_annex_reconciles_to_the_reports_totals_and_its_checksums_are_in_the_pdf():
    _year_of_money()
    report = _build()
    fund = report.snapshot["funds"][0]
    [row] = report.snapshot["annex"]["reconciliation"]
    assert row["matches"]
    assert row["annex_rows"] == fund["transactions"]
    assert Decimal(row["annex_in"]) == Decimal(fund["total_in"])
    assert Decimal(row["annex_out"]) == Decimal(fund["total_out"])
    assert Decimal(fund["opening"]) + Decimal(row["change"]) == Decimal(fund["closing"])
    # Summed again here, from the stored file itself.
    rows = csv.DictReader(io.StringIO(_read(_file(report, "transacties", "csv")).decode()))
    money_in = money_out = Decimal(0)
    for line in rows:
        change = Decimal(line["wijziging_fondstotaal"])
        if line["telt_als"] in (
            Transaction.Kind.SROI_CONTRIBUTION,
            Transaction.Kind.OTHER_INCOME,
            Transaction.Kind.RETURN,
        ):
            money_in += change
        elif line["telt_als"] == Transaction.Kind.DISBURSEMENT:
            money_out -= change
    assert (money_in, money_out) == (Decimal(fund["total_in"]), Decimal(fund["total_out"]))
    text = "".join(_pdf_text(report).split())
    for found in report.snapshot["annex"]["files"]:
        assert hashlib.sha256(_read(found)).hexdigest() == found["sha256"]
        assert found["sha256"] in text
    assert "debijlage" in text.lower()


def test_an_annex_that_does_not_add_up_stops_the_report(monkeypatch):
    _year_of_money()
    real = annex.opendata.stream_transaction_rows

    def one_line_missing(*args, **kwargs):
        rows = real(*args, **kwargs)
        next(rows)
        yield from rows

    monkeypatch.setattr(annex.opendata, "stream_transaction_rows", one_line_missing)
    report = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    with pytest.raises(ReportDoesNotReconcile):
        services.build_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED
    assert not report.pdf and not report.is_current


def _more_lines(fund, initiative, count: int) -> None:
    for index in range(count):
        allocation = allocate(
            fund=fund,
            initiative=initiative,
            amount=Decimal("50.00") + index,
            purpose="Meer",
            date=datetime.date(YEAR + 1, 1, 1 + index % 20),
        )
        sroi_services.disburse(
            allocation=allocation, amount="10.00", date=allocation.date, actor=bookkeeper()
        )


# The running year (an interim report) stays open for bookings between the two versions: the
# clock is in that year, whenever the test runs (in 2027 the year would be a closed one).
@freeze_time(datetime.datetime(YEAR + 1, 6, 30, 12, tzinfo=datetime.UTC), tick=True)
def test_the_page_count_does_not_grow_with_the_lines():
    fund = funded("50000.00")
    initiatives = [InitiativeFactory() for _ in range(30)]
    for initiative in initiatives:
        _more_lines(fund, initiative, 1)
    first = services.request_report(year=YEAR + 1, language="nl", dispatch=False, actor=None)
    first = services.build_report(report_id=first.pk)
    for initiative in initiatives:
        _more_lines(fund, initiative, 2)
    second = services.request_report(year=YEAR + 1, language="nl", dispatch=False, actor=None)
    second = services.build_report(report_id=second.pk)
    lines = (
        first.snapshot["funds"][0]["transactions"],
        second.snapshot["funds"][0]["transactions"],
    )
    assert lines[1] >= 3 * lines[0] - 5
    # The page count does not grow with the lines (issue 16); a page break may fall otherwise.
    assert second.pages <= first.pages
    assert second.snapshot["annex"]["files"][0]["rows"] == lines[1]


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_the_annex_files_can_be_downloaded_by_everyone_from_the_year_page(
    client, user_for_role, role
):
    _year_of_money(allocations=1)
    report = _build()
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    page = client.get(f"/rapporten/{YEAR}/").content.decode()
    for found in report.snapshot["annex"]["files"]:
        url = f"/rapporten/{YEAR}/bijlage/{found['name']}.{found['format']}"
        assert url in page
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == found["sha256"] == response["X-Checksum-SHA256"]
    assert client.get(f"/rapporten/{YEAR}/bijlage/geheim.csv").status_code == 404
    assert client.get(f"/rapporten/{YEAR}/bijlage/transacties.exe").status_code == 404
    assert client.get(f"/rapporten/{YEAR - 1}/bijlage/transacties.csv").status_code == 404


def test_the_year_page_shows_the_summary_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    _year_of_money(allocations=30)
    report = _build()
    with django_assert_max_num_queries(12):
        response = client.get(f"/rapporten/{YEAR}/")
    page = response.content.decode()
    assert response.status_code == 200
    # The largest lines, not all of them: 30 tranches, 25 shown; the annex has every line.
    assert page.count('data-testid="largest-out"') == 1
    out_table = page.split('data-testid="largest-out"')[1].split("</table>")[0]
    assert out_table.count("<tr") == 1 + 25
    assert (
        report.snapshot["annex"]["files"][0]["rows"] == report.snapshot["funds"][0]["transactions"]
    )


def test_the_sums_taken_while_writing_are_those_of_the_stored_file(monkeypatch):
    # given a year of money, and the stored transactions file never read back by the build
    _year_of_money(allocations=5)
    opened = []
    real_open = FileSystemStorage.open

    def spy(storage, name, *args, **kwargs):
        opened.append(name)
        return real_open(storage, name, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "open", spy)
    # when
    report = _build()
    # then the build reconciled without reading its own files again
    assert report.status == AnnualReport.Status.DONE
    assert opened == []
    monkeypatch.undo()
    # and the file as stored adds up, per fund, to what the reconciliation says
    sums = annex.annex_sums(_file(report, "transacties", "csv")["path"])
    in_year = set(Transaction.objects.filter(date__year=YEAR).values_list("pk", flat=True))
    [row] = report.snapshot["annex"]["reconciliation"]
    found = sums[row["slug"]]
    assert found["ids"] == in_year
    assert found["rows"] == len(in_year) == row["annex_rows"]
    assert (str(found["in"]), str(found["out"]), str(found["change"])) == (
        row["annex_in"],
        row["annex_out"],
        row["change"],
    )


def test_a_line_written_twice_stops_the_report(monkeypatch):
    _year_of_money()
    real = annex.opendata.stream_transaction_rows

    def one_line_twice(*args, **kwargs):
        rows = real(*args, **kwargs)
        first = next(rows)
        yield first
        yield first
        yield from rows

    monkeypatch.setattr(annex.opendata, "stream_transaction_rows", one_line_twice)
    report = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    with pytest.raises(ReportDoesNotReconcile):
        services.build_report(report_id=report.pk)


@override_settings(SITE_URL="https://burgerkracht.example.nl/")
def test_the_pdf_prints_its_version_and_the_annex_addresses_that_keep_giving_that_version(client):
    # given: two versions of the year's report, the second one current
    _year_of_money(allocations=1)
    first = _build()
    second = _build()
    assert second.is_current and second.version == first.version + 1
    # then: the first version's PDF says which version it is on its cover and atop every page
    with first.pdf.open("rb") as handle:
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]
    assert f"Versie {first.version}, gemaakt op" in pages[0]
    assert all(f"versie {first.version}" in page for page in pages[1:])
    # and prints where each file of its annex is, which gives that version's file, also now
    # that a newer version is the current one
    text = "".join("".join(pages).split())
    for found in first.snapshot["annex"]["files"]:
        address = f"/rapporten/{YEAR}/nl/v{first.version}/bijlage/{found['name']}.{found['format']}"
        assert f"https://burgerkracht.example.nl{address}" in text
        response = client.get(address)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == found["sha256"]
        assert f"-v{first.version}-bijlage-" in response["Content-Disposition"]
        assert found["path"] != _file(second, found["name"], found["format"])["path"]
    assert client.get(f"/rapporten/{YEAR}/nl/v9/bijlage/transacties.csv").status_code == 404
    assert client.get(f"/rapporten/{YEAR}/en/v1/bijlage/transacties.csv").status_code == 404
    assert client.get(f"/rapporten/{YEAR}/nl/v1/bijlage/geheim.csv").status_code == 404


def test_content_without_a_version_number_prints_no_annex_addresses():
    # A preview, or a report frozen before the number was kept: no address that could be wrong.
    _year_of_money(allocations=1)
    one_file = snapshot.AnnexFile(
        name="transacties", format="csv", path="x", sha256="0" * 64, size=1, rows=1
    )
    content = replace(annual_report_content(year=YEAR), annex=snapshot.Annex(files=(one_file,)))
    html = render_print_html(content, language="nl")
    assert 'data-testid="annex-links"' not in html
    assert "Gemaakt op" in html
    addresses = output.annex_links(replace(content, version=2), language="en")
    assert [link["url"] for link in addresses] == [
        f"{settings.SITE_URL.rstrip('/')}/rapporten/{YEAR}/en/v2/bijlage/transacties.csv"
    ]
