"""The register as a table: one column list serves the CSV/XLSX export and the import.

Column names are stable Dutch machine names; values are the Dutch labels (an import also takes
codes and English labels), multi-valued classifications joined by "; ".

One module per part: `columns` (the column lists), `export` (CSV/XLSX), `reading` (an
uploaded file, row by row) and `template` (the import template and its guide). Import the
package: `from initiatives import tabular; tabular.write_csv(...)`.
"""

from .columns import (
    ALL_COLUMNS,
    CHOICE_COLUMNS,
    IMPORT_COLUMNS,
    MULTI_COLUMNS,
    MULTI_SEPARATOR,
    PERSONAL_COLUMNS,
    PUBLIC_COLUMNS,
    REQUIRED_IMPORT_COLUMNS,
    TEXT_COLUMNS,
)
from .export import (
    export_row,
    write_csv,
    write_xlsx,
)
from .reading import (
    FileProblem,
    ParsedRow,
    allowed_values,
    match_choice,
    parse_row,
    read_table,
)
from .template import (
    COLUMN_HELP,
    column_guide,
    template_csv,
    template_xlsx,
)

__all__ = [
    "ALL_COLUMNS",
    "CHOICE_COLUMNS",
    "COLUMN_HELP",
    "FileProblem",
    "IMPORT_COLUMNS",
    "MULTI_COLUMNS",
    "MULTI_SEPARATOR",
    "PERSONAL_COLUMNS",
    "PUBLIC_COLUMNS",
    "ParsedRow",
    "REQUIRED_IMPORT_COLUMNS",
    "TEXT_COLUMNS",
    "allowed_values",
    "column_guide",
    "export_row",
    "match_choice",
    "parse_row",
    "read_table",
    "template_csv",
    "template_xlsx",
    "write_csv",
    "write_xlsx",
]
