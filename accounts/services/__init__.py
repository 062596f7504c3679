"""Every write in accounts: verification of community members and verification codes.

One module per part: `members` (verification in person, roles), `codes` (verification codes),
`signing_up` (registering with a code, single sign-on, DigiD). Import the package:
`from accounts import services; services.verify_member(...)`.
"""

from .codes import (
    CODE_ALPHABET,
    CODE_GROUP_LENGTH,
    CODE_GROUPS,
    MAX_CODES_PER_BATCH,
    approve_code_batch,
    check_verification_code,
    hash_code,
    issue_code_batch,
    issue_verification_codes,
    normalise_code,
    print_code_batch,
    redeem_verification_code,
    request_code_batch,
)
from .members import (
    User,
    is_staff_account,
    revoke_verification,
    set_roles,
    verify_member,
)
from .signing_up import (
    hash_bsn,
    register_with_code,
    suggest_username,
    user_for_digid,
    user_for_staff_sso,
    verify_with_digid,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_GROUPS",
    "CODE_GROUP_LENGTH",
    "MAX_CODES_PER_BATCH",
    "User",
    "approve_code_batch",
    "check_verification_code",
    "hash_bsn",
    "hash_code",
    "is_staff_account",
    "issue_code_batch",
    "issue_verification_codes",
    "normalise_code",
    "print_code_batch",
    "redeem_verification_code",
    "register_with_code",
    "request_code_batch",
    "revoke_verification",
    "set_roles",
    "suggest_username",
    "user_for_digid",
    "user_for_staff_sso",
    "verify_member",
    "verify_with_digid",
]
