"""Social return: contracts, building blocks and realisations, and the community fund ledger."""

from .allocation_state import AllocationState, allocation_state
from .contracts import (
    BlockCatalogue,
    BuildingBlock,
    Contract,
    Contractor,
    Realisation,
    TargetGroup,
)
from .ledger import (
    Account,
    Allocation,
    AppendOnlyError,
    ClosedYear,
    Entry,
    Fund,
    Transaction,
)
from .reasons import CorrectionReason, public_reason

__all__ = [
    "Account",
    "Allocation",
    "AllocationState",
    "AppendOnlyError",
    "BlockCatalogue",
    "BuildingBlock",
    "ClosedYear",
    "Contract",
    "Contractor",
    "CorrectionReason",
    "Entry",
    "Fund",
    "Realisation",
    "TargetGroup",
    "Transaction",
    "allocation_state",
    "public_reason",
]
