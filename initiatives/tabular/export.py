"""Writing the register as CSV or XLSX (Dutch labels, classifications joined by "; ")."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import TextChoices
from django.utils import translation

from security.cells import safe_row, xlsx_row

from ..models import Initiative
from .columns import CHOICE_COLUMNS, MULTI_COLUMNS, MULTI_SEPARATOR, PERSONAL_COLUMNS, TEXT_COLUMNS


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
    from openpyxl import Workbook  # noqa: PLC0415 - heavy library, loaded only when used

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("initiatieven")
    sheet.append(columns)
    for initiative in initiatives:
        sheet.append(xlsx_row(sheet, export_row(initiative, columns)))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
