"""The one read door for the community fund ledger: every sum over ledger entries lives here.

The fund pages, governance (is there money for this proposal?), the annual report, open data and
the ledger services themselves ask these functions, so they cannot disagree.

Sign convention. An `Entry.amount` is signed from its account's point of view: positive adds to
the account. Every figure these functions return is said the way a person says it, never
negative in normal use:

* balance = the fund's money = available + committed;
* available = money free for new allocations (the fund's "available" account);
* committed = money allocated to initiatives but not yet paid out (the "allocated" account);
* cash paid by a contract = what left the contract's counterparty account (−its entries);
* money in (contracts, municipal top-ups, other income, money returned by initiatives) and money
  out (tranches paid to initiatives) are positive; a reversal counts under the kind of
  transaction it undoes, as a negative amount.

So, for every fund and every period: opening + money in − money out = closing. Allocations and
releases move money between available and committed; they change neither the balance nor the
flows. Days are booking dates (`Transaction.date`): "until" includes the day.

One module per subject: `balances`, `flows`, `contracts` (cash paid), `allocations`,
`transactions` (listings); `base` holds the shared sums. Import the package:
`from sroi import ledger_selectors; ledger_selectors.position(fund)`.
"""

from .allocations import (
    AllocationFigures,
    allocation_annotations,
    allocation_figure_annotations,
    allocation_figures,
    allocation_open,
    allocation_with_initiative,
    figures_of,
    per_initiative,
)
from .balances import (
    Position,
    account_balance,
    available,
    balance,
    balance_on,
    balance_series,
    balance_subquery,
    funds_with_balance,
    lowest_balance_from,
    position,
)
from .contracts import (
    cash_paid,
    cash_paid_for,
    cash_paid_subquery,
    per_contract,
    total_cash_paid,
)
from .flows import (
    Flows,
    Sources,
    counterparty_annotation,
    flow_field,
    flows,
    flows_per_fund,
    fund_change_annotation,
    since_start,
    transaction_effect_annotations,
    transaction_effects,
)
from .transactions import (
    first_transaction_date,
    fund_decision_ids_between,
    fund_transactions,
    fund_transactions_between,
    funds_with_counts,
    transaction,
    transaction_years,
    transactions_between,
)

__all__ = [
    "AllocationFigures",
    "Flows",
    "Position",
    "Sources",
    "account_balance",
    "allocation_annotations",
    "allocation_figure_annotations",
    "allocation_figures",
    "allocation_open",
    "allocation_with_initiative",
    "available",
    "balance",
    "balance_on",
    "balance_series",
    "balance_subquery",
    "cash_paid",
    "cash_paid_for",
    "cash_paid_subquery",
    "counterparty_annotation",
    "figures_of",
    "first_transaction_date",
    "flow_field",
    "flows",
    "flows_per_fund",
    "fund_decision_ids_between",
    "fund_change_annotation",
    "fund_transactions",
    "fund_transactions_between",
    "funds_with_balance",
    "funds_with_counts",
    "lowest_balance_from",
    "per_contract",
    "per_initiative",
    "position",
    "since_start",
    "total_cash_paid",
    "transaction",
    "transaction_effect_annotations",
    "transaction_effects",
    "transaction_years",
    "transactions_between",
]
