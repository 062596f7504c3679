"""The register as a table: one column list serves the CSV/XLSX export and the import.

Column names are stable Dutch machine names; values are the Dutch labels (an import also takes
codes and English labels), multi-valued classifications joined by "; ".
"""

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# --- The import template -----------------------------------------------------------------------

COLUMN_HELP = {
    "naam": gettext_lazy("The name of the initiative."),
    "samenvatting": gettext_lazy("What the initiative does, in one or two sentences."),
    "beschrijving": gettext_lazy("A longer description."),
    "gebied": gettext_lazy("The area: its name or short name, as in the list of areas."),
    "initiatiefnemer": gettext_lazy("Who started the initiative."),
    "organisatievorm": gettext_lazy("The legal form."),
    "fase": gettext_lazy("How far the initiative is."),
    "startdatum": gettext_lazy("The day it started: YYYY-MM-DD or DD-MM-YYYY."),
    "status": gettext_lazy("Is the initiative active? Empty means: registered."),
    "website": gettext_lazy("The address of the website, with https://."),
    "bloedgroep": gettext_lazy("The kind of initiative."),
    "verhouding_overheid": gettext_lazy("How the initiative relates to the government."),
    "werkvelden": gettext_lazy("The fields it works in."),
    "doelgroepen": gettext_lazy("The groups of people it is for."),
    "toegevoegde_waarde": gettext_lazy("What it adds."),
    "drempels": gettext_lazy("The thresholds it has passed."),
    "socialization_doelgroepen": gettext_lazy("The target groups of Socialization+."),
    "leefgebieden": gettext_lazy("The areas of life it works on."),
    "contactpersoon": gettext_lazy("The contact person. Not public."),
    "contact_email": gettext_lazy("The contact e-mail address. Not public."),
    "contact_telefoon": gettext_lazy("The contact phone number. Not public."),
}


def column_guide() -> list[dict]:
    """Every import column with whether it is required, what it holds and the allowed values
    (label and code), in the active language."""
    guide = []
    for column in IMPORT_COLUMNS:
        choices = None
        if column in CHOICE_COLUMNS:
            choices = CHOICE_COLUMNS[column][1]
        elif column in MULTI_COLUMNS:
            choices = MULTI_SCHEMES[MULTI_COLUMNS[column]]
        guide.append(
            {
                "column": column,
                "required": column in REQUIRED_IMPORT_COLUMNS,
                "help": str(COLUMN_HELP.get(column, "")),
                "several": column in MULTI_COLUMNS,
                "allowed": [(str(label), value) for value, label in choices.choices]
                if choices
                else [],
            }
        )
    return guide


def template_csv() -> str:
    """An empty import file: the header row only (with a BOM, so Excel reads UTF-8)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(IMPORT_COLUMNS)
    return "\ufeff" + buffer.getvalue()


def template_xlsx() -> bytes:
    """An empty import workbook: the columns on the first sheet, an explanation on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "initiatieven"
    sheet.append(IMPORT_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(column) + 4)
    sheet.freeze_panes = "A2"
    explanation = workbook.create_sheet(str(_("explanation")))
    explanation.append(
        [
            str(_("Column")),
            str(_("Required")),
            str(_("What to fill in")),
            str(_("Allowed values (label or code)")),
        ]
    )
    for cell in explanation[1]:
        cell.font = Font(bold=True)
    for row in column_guide():
        help_text = row["help"]
        if row["several"]:
            help_text += " " + str(_("Several values: separate them with a semicolon (;)."))
        explanation.append(
            [
                row["column"],
                str(_("yes")) if row["required"] else str(_("no")),
                help_text,
                "\n".join(f"{label} ({code})" for label, code in row["allowed"]),
            ]
        )
    for letter, width in (("A", 26), ("B", 10), ("C", 50), ("D", 60)):
        explanation.column_dimensions[letter].width = width
    for line in explanation.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
