"""The register as a table: one column list serves the CSV/XLSX export and the import.

Column names are stable Dutch machine names; values are the Dutch labels (an import also takes
codes and English labels), multi-valued classifications joined by "; ".
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from security.cells import safe_row, unescape_cell, xlsx_row

from .classifications import (
    MULTI_SCHEMES,
    Bloedgroep,
    GovernmentRelation,
    InitiatorType,
    OrganisationForm,
    Phase,
)
from .models import Initiative

MULTI_SEPARATOR = ";"

# column name -> single-choice field and its choices
CHOICE_COLUMNS: dict[str, tuple[str, type[TextChoices]]] = {
    "initiatiefnemer": ("initiator_type", InitiatorType),
    "organisatievorm": ("organisation_form", OrganisationForm),
    "fase": ("phase", Phase),
    "status": ("status", Initiative.Status),
    "bloedgroep": ("bloedgroep", Bloedgroep),
    "verhouding_overheid": ("government_relation", GovernmentRelation),
}
# column name -> classification scheme
MULTI_COLUMNS: dict[str, str] = {
    "werkvelden": "werkveld",
    "doelgroepen": "doelgroep",
    "toegevoegde_waarde": "toegevoegde_waarde",
    "drempels": "drempel",
    "socialization_doelgroepen": "socialization_doelgroep",
    "leefgebieden": "leefgebied",
}
TEXT_COLUMNS: dict[str, str] = {
    "naam": "name",
    "samenvatting": "summary",
    "beschrijving": "description",
    "website": "website",
}
PERSONAL_COLUMNS: dict[str, str] = {
    "contactpersoon": "contact_name",
    "contact_email": "contact_email",
    "contact_telefoon": "contact_phone",
}
PUBLIC_COLUMNS = [
    "naam",
    "slug",
    "samenvatting",
    "beschrijving",
    "gebied",
    "initiatiefnemer",
    "organisatievorm",
    "fase",
    "startdatum",
    "status",
    "website",
    "bloedgroep",
    "verhouding_overheid",
    *MULTI_COLUMNS,
]
ALL_COLUMNS = [*PUBLIC_COLUMNS, *PERSONAL_COLUMNS, "geregistreerd_op"]
REQUIRED_IMPORT_COLUMNS = [
    "naam",
    "samenvatting",
    "gebied",
    "initiatiefnemer",
    "organisatievorm",
    "fase",
]
IMPORT_COLUMNS = [c for c in ALL_COLUMNS if c not in ("slug", "geregistreerd_op")]


def _label(choices: type[TextChoices], value: str) -> str:
    return str(choices(value).label) if value else ""


def export_row(initiative: Initiative, columns: list[str]) -> list[str]:
    """One initiative as a row of strings, in Dutch; needs area and classifications prefetched."""
    with translation.override("nl"):
        values: dict[str, str] = {
            "slug": initiative.slug,
            "gebied": initiative.area.name,
            "startdatum": initiative.start_date.isoformat() if initiative.start_date else "",
            "geregistreerd_op": initiative.created_at.date().isoformat(),
        }
        for column, attr in {**TEXT_COLUMNS, **PERSONAL_COLUMNS}.items():
            values[column] = getattr(initiative, attr)
        for column, (attr, choices) in CHOICE_COLUMNS.items():
            values[column] = _label(choices, getattr(initiative, attr))
        for column, scheme in MULTI_COLUMNS.items():
            values[column] = f"{MULTI_SEPARATOR} ".join(
                str(c.label) for c in initiative.classifications_in(scheme)
            )
        return [values[column] for column in columns]


def write_csv(initiatives: Iterable[Initiative], columns: list[str]) -> Iterator[str]:
    """Yield CSV text line by line (for a streaming response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff"  # so Excel opens it as UTF-8
    writer.writerow(columns)
    yield flush()
    for initiative in initiatives:
        writer.writerow(safe_row(export_row(initiative, columns)))
        yield flush()


def write_xlsx(initiatives: Iterable[Initiative], columns: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("initiatieven")
    sheet.append(columns)
    for initiative in initiatives:
        sheet.append(xlsx_row(sheet, export_row(initiative, columns)))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- Reading an uploaded file ------------------------------------------------------------------


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
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise FileProblem(_("The file is not a readable .xlsx workbook.")) from exc
    sheet = workbook.worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, list(values)


def match_choice(choices: type[TextChoices], text: str) -> str | None:
    """The code for `text` given as a code, a Dutch label or an English label (any case)."""
    wanted = text.strip().casefold()
    for value in choices.values:
        if wanted == value.casefold():
            return value
    for language in ("nl", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                if wanted == str(label).casefold():
                    return value
    return None


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
                _("'%(value)s' is not a valid %(column)s.") % {"value": text, "column": column}
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
                    _("'%(value)s' is not a valid value for %(column)s.")
                    % {"value": part, "column": column}
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
