"""Spreadsheet cells that never become formulas (CSV and XLSX injection, OWASP).

A spreadsheet program treats a cell that starts with `=`, `+`, `-` or `@` (and, in some programs,
a tab or carriage return, or the full-width forms of those signs) as a formula: an initiative named
`=HYPERLINK("https://evil", "klik")` would become a live link in a civil servant's Excel. Every
CSV and XLSX writer passes its values through `safe_cell`, which puts a single quote in front of
such text; the quote is what Excel itself uses to say "this is text". Numbers (int, Decimal,
float) and text that is just a number (`-12.50`) are left alone, so amounts stay amounts.
"""

import re
from decimal import Decimal

# OWASP's list, plus the full-width forms that some spreadsheet programs normalise.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
ESCAPE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def safe_cell(value):
    """`value` as it may go into a spreadsheet: text that could start a formula gets a quote."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return ESCAPE + value
    return value


def unescape_cell(text: str) -> str:
    """Undo `safe_cell` on text read back from our own export, so a round trip keeps the name."""
    if text.startswith(ESCAPE) and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def safe_row(values) -> list:
    """`safe_cell` on every value of a row."""
    return [safe_cell(value) for value in values]


def xlsx_row(sheet, values) -> list:
    """A write-only openpyxl row in which text is stored as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 - heavy library, loaded only when used

    row = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=safe_cell(value))
        if isinstance(cell.value, str):
            # openpyxl marks any text starting with "=" as a formula; force a plain string.
            cell.data_type = "s"
        row.append(cell)
    return row
