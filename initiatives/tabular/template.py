"""The import template (CSV and XLSX) and the guide to its columns."""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..classifications import MULTI_SCHEMES
from .columns import CHOICE_COLUMNS, IMPORT_COLUMNS, MULTI_COLUMNS, REQUIRED_IMPORT_COLUMNS

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
    from openpyxl import Workbook  # noqa: PLC0415 - heavy library, loaded only when used
    from openpyxl.styles import (  # noqa: PLC0415 - heavy library, loaded only when used
        Alignment,
        Font,
    )

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
