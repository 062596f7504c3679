"""The pages of accounts (views never write: they call `accounts.services`).

One module per part: `members`, `codes` (verification codes), `signing_in`, `second_factor`. The URLs name them
through this package: `views.ProfileView`.
"""

from .codes import (
    ApproveCodeBatchView,
    CodeBatchListView,
    CodeBatchView,
    PrintCodeBatchView,
    RedeemCodeView,
    VerificationCodesView,
)
from .members import (
    MemberListView,
    ProfileView,
    RevokeVerificationView,
    VerifyMemberView,
)
from .second_factor import (
    EnrolmentLinkRequestView,
    EnrolmentLinkView,
    SecondFactorSetupView,
    SecondFactorView,
)
from .signing_in import (
    DigiDAreaView,
    KeepAliveView,
    RegisterWithCodeView,
    WelcomeView,
)

__all__ = [
    "ApproveCodeBatchView",
    "CodeBatchListView",
    "CodeBatchView",
    "DigiDAreaView",
    "EnrolmentLinkRequestView",
    "EnrolmentLinkView",
    "KeepAliveView",
    "MemberListView",
    "PrintCodeBatchView",
    "ProfileView",
    "RedeemCodeView",
    "RegisterWithCodeView",
    "RevokeVerificationView",
    "SecondFactorSetupView",
    "SecondFactorView",
    "VerificationCodesView",
    "VerifyMemberView",
    "WelcomeView",
]
