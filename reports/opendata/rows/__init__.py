"""The builders of the plain datasets: one year (or all) in a fixed number of queries.

The big datasets (transactions) are read as values with an iterator and yielded row by row, so
a download holds one chunk of rows in memory, never the year.

One module per dataset family: `register`, `contracts`, `ledger` (transactions, funds,
allocations), `decisions`.
"""

from .contracts import (
    contract_rows,
    realisation_rows,
)
from .decisions import (
    DECISIONS_PER_PIECE,
    decision_row,
    decision_rows,
    public_decisions,
    stream_decision_rows,
)
from .ledger import (
    CHUNK,
    allocation_rows,
    fund_rows,
    stream_allocation_rows,
    stream_transaction_rows,
    transaction_rows,
)
from .register import (
    register_rows,
)

__all__ = [
    "CHUNK",
    "DECISIONS_PER_PIECE",
    "allocation_rows",
    "contract_rows",
    "decision_row",
    "decision_rows",
    "fund_rows",
    "public_decisions",
    "realisation_rows",
    "register_rows",
    "stream_allocation_rows",
    "stream_decision_rows",
    "stream_transaction_rows",
    "transaction_rows",
]
