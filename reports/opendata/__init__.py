"""Open data: the register, contracts, realisations, fund transactions, allocations, decisions.

Each dataset is a list of columns (`columns.py`: a stable Dutch machine name and an English
description that gettext translates) and a builder (`rows.py`) that reads one year in a fixed
number of queries, whatever the number of rows. The big ones stream: values read in chunks, never
model objects. `csv_lines` and `json_chunks` (`serialise.py`) turn rows into text for a
streaming response. Allocations are also published in the 360Giving Data Standard (1.4.3) and
contracts in the Open Contracting Data Standard (1.1.5) (`standards.py`), from the same reads.

No personal data leaves through here: no contact details, no user names (not of civil servants
who recorded something either), no person references of realisations, no votes of anyone.
"""

from governance.models import Decision

from .base import (
    ALL_YEARS,
    LICENSE_NAME,
    LICENSE_URL,
    Column,
    Dataset,
    Period,
    cents,
    parse_period,
)
from .catalogue import DATASETS, years_available
from .columns import (
    ALLOCATION_COLUMNS,
    CONTRACT_COLUMNS,
    DECISION_COLUMNS,
    FUND_COLUMNS,
    REALISATION_COLUMNS,
    REGISTER_COLUMNS,
    TRANSACTION_COLUMNS,
)
from .rows import (
    allocation_rows,
    contract_rows,
    decision_row,
    decision_rows,
    fund_rows,
    public_decisions,
    realisation_rows,
    register_rows,
    stream_allocation_rows,
    stream_decision_rows,
    stream_transaction_rows,
    transaction_rows,
)
from .serialise import (
    JSON_TAIL,
    ROWS_PER_PIECE,
    ExactJSONEncoder,
    csv_cell,
    csv_lines,
    csv_text,
    dataset_meta,
    description_text,
    dumps,
    json_chunks,
    json_head,
    json_items,
)
from .standards import STANDARDS, Standard, grant, grants_package, release, release_package

__all__ = [
    "ALLOCATION_COLUMNS",
    "ALL_YEARS",
    "CONTRACT_COLUMNS",
    "DATASETS",
    "DECISION_COLUMNS",
    "FUND_COLUMNS",
    "LICENSE_NAME",
    "LICENSE_URL",
    "REALISATION_COLUMNS",
    "REGISTER_COLUMNS",
    "STANDARDS",
    "TRANSACTION_COLUMNS",
    "Column",
    "Dataset",
    "Decision",
    "ExactJSONEncoder",
    "JSON_TAIL",
    "ROWS_PER_PIECE",
    "csv_text",
    "json_head",
    "json_items",
    "Period",
    "Standard",
    "allocation_rows",
    "cents",
    "contract_rows",
    "csv_cell",
    "csv_lines",
    "dataset_meta",
    "decision_row",
    "decision_rows",
    "description_text",
    "dumps",
    "fund_rows",
    "grant",
    "grants_package",
    "json_chunks",
    "parse_period",
    "public_decisions",
    "realisation_rows",
    "register_rows",
    "release",
    "release_package",
    "stream_allocation_rows",
    "stream_decision_rows",
    "stream_transaction_rows",
    "transaction_rows",
    "years_available",
]
