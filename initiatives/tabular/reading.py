"""Reading an uploaded CSV or XLSX file: rows with their line numbers, each value matched to a
code (Dutch or English label, or the code itself), every problem said per line."""

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from security.cells import unescape_cell

from ..classifications import MULTI_SCHEMES
from .columns import (
    ALL_COLUMNS,
    CHOICE_COLUMNS,
    IMPORT_COLUMNS,
    MULTI_COLUMNS,
    MULTI_SEPARATOR,
    PERSONAL_COLUMNS,
    REQUIRED_IMPORT_COLUMNS,
    TEXT_COLUMNS,
)


@dataclass
class ParsedRow:
    line: int
    raw: dict[str, str]
    data: dict = field(default_factory=dict)
    classifications: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class FileProblem(Exception):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


def read_table(content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of an uploaded CSV or XLSX as (line number, {column: text}); blank rows skipped."""
    if filename.lower().endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif filename.lower().endswith(".csv"):
        rows = _read_csv(content)
    else:
        raise FileProblem(_("Upload a .csv or .xlsx file."))
    try:
        header_line, header = next(rows)
    except StopIteration as exc:
        raise FileProblem(_("The file is empty.")) from exc
    columns = [str(h or "").strip().lower() for h in header]
    missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in columns]
    if missing:
        raise FileProblem(
            _("Line %(line)d: the required columns %(columns)s are missing.")
            % {"line": header_line, "columns": ", ".join(missing)}
        )
    unknown = [c for c in columns if c and c not in IMPORT_COLUMNS and c not in ALL_COLUMNS]
    if unknown:
        raise FileProblem(
            _("Line %(line)d: unknown columns %(columns)s. Known columns: %(known)s.")
            % {
                "line": header_line,
                "columns": ", ".join(unknown),
                "known": ", ".join(IMPORT_COLUMNS),
            }
        )
    table = []
    for line, values in rows:
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            continue
        table.append(
            (line, dict(zip(columns, cells + [""] * (len(columns) - len(cells)), strict=False)))
        )
    return table


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return unescape_cell(str(value).strip()).strip()


def _read_csv(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" as cp1252.
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem(_("The file is not UTF-8 text; save it as 'CSV UTF-8'.")) from None
    try:
        delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter comes from the sniffer: on a header without quotes it also guesses
    # "no doubled quotes", which would break every quoted cell holding a quote.
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)
    line = 1
    try:
        for values in reader:
            yield line, values
            line = reader.line_num + 1
    except csv.Error as exc:
        # A cell over csv.field_size_limit() (131,072 characters) or a broken quote.
        raise FileProblem(
            _("Line %(line)d cannot be read: a cell is too long or a quote is not closed.")
            % {"line": reader.line_num}
        ) from exc


def _read_xlsx(content: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook  # noqa: PLC0415 - heavy library, loaded only when used

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise FileProblem(_("The file is not a readable .xlsx workbook.")) from exc
    sheet = workbook.worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, list(values)


def _normalise(text: str) -> str:
    """Lower case, letters and digits only, no accents: "Continuïteit" == "continuiteit",
    "Opstart fase" == "opstart_fase" == "Opstartfase", "Bewoner(s)" == "bewoners"."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _short_forms(label: str) -> list[str]:
    """The ways people shorten a label: the part before a comma or a bracket ("Opstartfase" for
    "Opstartfase, 0-2 jaar"), a numbered label without or with only its number ("Eerste volgers",
    "1" for "1 Eerste volgers"), and each part of "a/b/c"."""
    forms = [label]
    for separator in (",", "("):
        if separator in label:
            forms.append(label.split(separator, 1)[0])
    numbered = re.match(r"^(\d+)\s+(.+)$", label)
    if numbered:
        forms += [numbered.group(1), numbered.group(2)]
    if "/" in label:
        forms += label.split("/")
    return [form.strip() for form in forms if form.strip()]


@functools.cache
def _choice_index(choices: type[TextChoices]) -> dict[str, str | None]:
    """Every accepted spelling of each choice (normalised) -> its code; None when a short form
    fits more than one choice. Codes and full labels (Dutch and English) always win."""
    exact: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for value in choices.values:
        exact[_normalise(value)] = value
    for language in ("nl", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                exact.setdefault(_normalise(str(label)), value)
                for form in _short_forms(str(label)):
                    short.setdefault(_normalise(form), set()).add(value)
    index: dict[str, str | None] = {
        form: (values.pop() if len(values) == 1 else None) for form, values in short.items()
    }
    index.update(exact)
    return index


def match_choice(choices: type[TextChoices], text: str) -> str | None:
    """The code for `text` given as a code, a Dutch or English label or a usual short form of one
    ("opstart", "Opstartfase", "Opstartfase, 0-2 jaar"), in any case and with or without accents."""
    return _choice_index(choices).get(_normalise(text))


def allowed_values(choices: type[TextChoices]) -> str:
    """The labels a cell may hold, in the active language, for an error message."""
    return "; ".join(str(label) for label in choices.labels)


def parse_row(line: int, raw: dict[str, str], areas: dict[str, object]) -> ParsedRow:
    """Check one row; `areas` maps lower-cased names and slugs to Area objects."""
    row = ParsedRow(line=line, raw=raw)
    forbidden = [column for column, text in raw.items() if "\x00" in text]
    if forbidden:
        # PostgreSQL refuses NUL in text; say where it is instead of failing at the import.
        row.errors.append(
            _("'%(column)s' holds a character that is not allowed (NUL).")
            % {"column": ", ".join(forbidden)}
        )
        row.raw = {column: text.replace("\x00", "") for column, text in raw.items()}
        return row
    for column, attr in {**TEXT_COLUMNS, **PERSONAL_COLUMNS}.items():
        row.data[attr] = raw.get(column, "")
    for column in REQUIRED_IMPORT_COLUMNS:
        if not raw.get(column):
            row.errors.append(_("'%(column)s' is empty.") % {"column": column})
    area_text = raw.get("gebied", "")
    if area_text:
        area = areas.get(area_text.casefold())
        if area is None:
            row.errors.append(_("Unknown area '%(area)s'.") % {"area": area_text})
        row.data["area"] = area
    for column, (attr, choices) in CHOICE_COLUMNS.items():
        text = raw.get(column, "")
        if not text:
            continue
        code = match_choice(choices, text)
        if code is None:
            row.errors.append(
                _("'%(value)s' is not a valid %(column)s. Allowed: %(allowed)s.")
                % {"value": text, "column": column, "allowed": allowed_values(choices)}
            )
        row.data[attr] = code
    start = raw.get("startdatum", "")
    if start:
        try:
            row.data["start_date"] = _parse_date(start)
        except ValueError:
            row.errors.append(
                _("'%(value)s' is not a date (use YYYY-MM-DD or DD-MM-YYYY).") % {"value": start}
            )
    for column, scheme in MULTI_COLUMNS.items():
        codes = []
        for part in filter(None, (p.strip() for p in raw.get(column, "").split(MULTI_SEPARATOR))):
            code = match_choice(MULTI_SCHEMES[scheme], part)
            if code is None:
                row.errors.append(
                    _("'%(value)s' is not a valid value for %(column)s. Allowed: %(allowed)s.")
                    % {
                        "value": part,
                        "column": column,
                        "allowed": allowed_values(MULTI_SCHEMES[scheme]),
                    }
                )
            else:
                codes.append(code)
        row.classifications[scheme] = codes
    return row


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(text)
