"""Public fund and contract pages; staff pages that record contracts, realisations and money.

Thin: each view asks a permission (sroi.rules), calls one service or selector and renders. A
service's ValidationError is shown on the form; nothing was written then.

One module per part: `public`, `contracts` (staff), `fund` (staff: the money); `base` holds
what they share. The URLs name them through this package: `views.FundView`.
"""

from .base import (
    ALLOCATION_PAGE_SIZE,
    CONTRACT_PAGE_SIZE,
    REALISATION_PAGE_SIZE,
    TRANSACTION_PAGE_SIZE,
    ServiceFormView,
)
from .contracts import (
    BehindView,
    ClaimRealisationView,
    ContractFormView,
    ContractorFormView,
    ContractorListView,
    ContractStaffView,
    EvidenceView,
    RealisationView,
    RejectRealisationView,
    VerifyRealisationView,
)
from .fund import (
    AllocationObjectMixin,
    AllocationView,
    CloseAllocationView,
    CloseYearView,
    ContributionView,
    DisburseView,
    FundObjectMixin,
    FundStaffView,
    OtherIncomeView,
    ReturnView,
    ReverseTransactionView,
    TrancheView,
)
from .public import (
    ContractListView,
    ContractView,
    FundView,
    OverviewView,
)

__all__ = [
    "ALLOCATION_PAGE_SIZE",
    "AllocationObjectMixin",
    "AllocationView",
    "BehindView",
    "CONTRACT_PAGE_SIZE",
    "ClaimRealisationView",
    "CloseAllocationView",
    "CloseYearView",
    "ContractFormView",
    "ContractListView",
    "ContractStaffView",
    "ContractView",
    "ContractorFormView",
    "ContractorListView",
    "ContributionView",
    "DisburseView",
    "EvidenceView",
    "FundObjectMixin",
    "FundStaffView",
    "FundView",
    "OtherIncomeView",
    "OverviewView",
    "REALISATION_PAGE_SIZE",
    "RealisationView",
    "RejectRealisationView",
    "ReturnView",
    "ReverseTransactionView",
    "ServiceFormView",
    "TRANSACTION_PAGE_SIZE",
    "TrancheView",
    "VerifyRealisationView",
]
