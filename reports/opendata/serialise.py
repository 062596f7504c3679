"""Rows to text: CSV lines and JSON chunks for a streaming response, and the descriptions."""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from security.cells import FORMULA_PREFIXES, safe_cell

from .base import LICENSE_NAME, LICENSE_URL, Dataset, Period

# --- Serialisation -----------------------------------------------------------------------------


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _csv_text(value) -> str:
    """`csv_cell(safe_cell(value))`, with the common types first: a download has many cells."""
    kind = type(value)
    if kind is str:
        return safe_cell(value) if value.startswith(FORMULA_PREFIXES) else value
    if kind is int:
        return str(value)
    if kind is Decimal:
        return format(value, "f")
    return csv_cell(safe_cell(value))


# Rows per piece of a streamed download: big enough that the server writes few pieces, small
# enough that a piece stays a few hundred kilobytes.
ROWS_PER_PIECE = 500


def csv_text(columns: list[str], rows: Iterable[list]) -> str:
    """Rows of values (in the order of `columns`) as CSV text: RFC 4180, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_csv_text(value) for value in row] for row in rows)
    return buffer.getvalue()


def csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """The header and then the rows as CSV (RFC 4180, UTF-8, no BOM), a few hundred at a time."""
    yield csv_text(columns, [columns])
    piece: list[list] = []
    for row in rows:
        piece.append([row[column] for column in columns])
        if len(piece) == ROWS_PER_PIECE:
            yield csv_text(columns, piece)
            piece = []
    if piece:
        yield csv_text(columns, piece)


# A Decimal is written as a marker string, which the output then unquotes into a bare JSON number
# with exactly its digits: no float on the way. The marker starts with NUL, which JSON always
# escapes and text in our database never holds (PostgreSQL refuses it).
_NUMBER_MARK = "\x00"
_NUMBER_RE = re.compile(r'"\\u0000(-?[0-9]+(?:\.[0-9]+)?)"')


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return _NUMBER_MARK + format(o, "f")
        return super().default(o)


def dumps(value) -> str:
    """JSON text with Decimals as exact numbers and dates as ISO strings."""
    text = json.dumps(value, cls=ExactJSONEncoder, ensure_ascii=False)
    return _NUMBER_RE.sub(r"\1", text)


JSON_TAIL = "\n]}\n"


def json_head(meta: dict, key: str) -> str:
    """The start of a JSON object: `meta`'s keys and then `key` opening a list."""
    head = dumps(meta)
    return (head[:-1] + ", " if meta else "{") + json.dumps(key) + ": ["


def json_items(items: list[dict], *, first: bool) -> str:
    """Items of the list, one per line; `first` when nothing came before them in the list."""
    return "".join(
        ("" if first and index == 0 else ",") + "\n" + _json_object(item)
        for index, item in enumerate(items)
    )


_json_string = json.encoder.encode_basestring  # what `dumps` writes a str with (no ASCII escapes)


def _json_value(value) -> str:
    """`dumps(value)`, with the values of a flat row written directly: a download has many."""
    kind = type(value)
    if kind is str:
        return _json_string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is Decimal and value.is_finite():
        return format(value, "f")
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return dumps(value)


def _json_object(item: dict) -> str:
    """`dumps(item)` for a dict with string keys: the same text, without the encoder's detours."""
    if type(item) is not dict or not all(type(key) is str for key in item):
        return dumps(item)
    return (
        "{"
        + ", ".join(f"{_json_string(key)}: {_json_value(value)}" for key, value in item.items())
        + "}"
    )


def json_chunks(meta: dict, key: str, items: Iterable[dict]) -> Iterator[str]:
    """One JSON object: `meta`'s keys and then `key` holding `items`, a few hundred at a time."""
    yield json_head(meta, key)
    piece: list[dict] = []
    written = 0
    for item in items:
        piece.append(item)
        if len(piece) == ROWS_PER_PIECE:
            yield json_items(piece, first=written == 0)
            written += len(piece)
            piece = []
    yield json_items(piece, first=written == 0) + JSON_TAIL


def dataset_meta(dataset: Dataset, period: Period, *, uri: str, page: str) -> dict:
    """What a JSON download says about itself: licence, date, period and each column's meaning."""
    return {
        "dataset": dataset.name,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "publisher": {"name": settings.MUNICIPALITY_NAME},
        "license": {"name": LICENSE_NAME, "url": LICENSE_URL},
        "issued": timezone.now().isoformat(timespec="seconds"),
        "year": period.year,
        "uri": uri,
        "documentation": page,
        "columns": [
            {"name": column.name, "description": str(column.description)}
            for column in dataset.columns
        ],
    }


def description_text(dataset: Dataset, *, years: list[int], page: str) -> str:
    """A plain-text description of a dataset for people who download the CSV."""
    lines = [
        str(dataset.title),
        "=" * len(str(dataset.title)),
        "",
        str(dataset.description),
        "",
    ]
    # The labels outside f-strings: xgettext does not read inside them, so these were never in
    # the catalogue and showed in English on Dutch pages (the review of 2026-12-06, finding 12).
    facts = [
        (_("Licence"), f"{LICENSE_NAME} <{LICENSE_URL}>"),
        (_("Publisher"), settings.MUNICIPALITY_NAME),
        (_("Date of this description"), timezone.now().isoformat(timespec="seconds")),
        (_("Years"), ", ".join(str(y) for y in years) or "-"),
        (_("More information"), page),
    ]
    lines += [f"{label}: {value}" for label, value in facts]
    lines += ["", str(_("Columns")) + ":"]
    for column in dataset.columns:
        lines.append(f"- {column.name}: {column.description}")
    lines += [
        "",
        str(
            _(
                "CSV: UTF-8, comma-separated, first line the column names. Amounts in euros with "
                "a dot and two decimals; dates as YYYY-MM-DD; true/false for yes/no; an empty "
                "cell when there is no value."
            )
        ),
    ]
    return "\n".join(lines) + "\n"
