"""Every write in sroi: contracts and realisations (`contracts`), the fund ledger (`ledger`).

Import from here: `from sroi import services; services.allocate(...)`.
"""

from .bookkeeping import MAX_AMOUNT, check_amount, lock_fund
from .contracts import (
    claim_realisation,
    create_contract,
    create_contractor,
    reject_realisation,
    update_contract,
    update_contractor,
    verify_realisation,
)
from .corrections import close_year, reverse_transaction
from .ledger import (
    allocate,
    close_allocation,
    create_fund,
    disburse,
    record_contribution,
    record_other_income,
    return_unspent,
)

__all__ = [
    "MAX_AMOUNT",
    "allocate",
    "check_amount",
    "lock_fund",
    "claim_realisation",
    "close_allocation",
    "close_year",
    "create_contract",
    "create_contractor",
    "create_fund",
    "disburse",
    "record_contribution",
    "record_other_income",
    "reject_realisation",
    "return_unspent",
    "reverse_transaction",
    "update_contract",
    "update_contractor",
    "verify_realisation",
]
