"""Who may do what in accounts. Other apps compose these role predicates into their own rules."""

import rules

from . import selectors
from .models import Role, VerificationRequirement


def _has_role(role: Role):
    @rules.predicate(name=f"has_role_{role.value}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.has_role(role))

    return predicate


is_community_member = _has_role(Role.COMMUNITY_MEMBER)
is_youth_council_member = _has_role(Role.YOUTH_COUNCIL)
is_advisory_member = _has_role(Role.ADVISORY_MEMBER)
is_civil_servant = _has_role(Role.CIVIL_SERVANT)
is_administrator = _has_role(Role.ADMINISTRATOR)
is_staff_role = is_civil_servant | is_administrator


def may_do(action: str):
    """The predicate "may do `action`" by the verification requirements (issue 15): the one
    check for views (composed into permissions) and services (`selectors.may_do`)."""

    @rules.predicate(name=f"may_{action}")
    def predicate(user) -> bool:
        return selectors.may_do(user, action)

    return predicate


Action = VerificationRequirement.Action

rules.add_perm("accounts.list_members", is_staff_role)
# Who becomes a voter is decided by a civil servant (in person, or by the codes they hand out),
# never by an administrator, who can make accounts (DESIGN.md: "never money, votes or
# decisions"; security review 2026-12-06, S2: one administrator made an account and a voter).
rules.add_perm("accounts.verify_member", is_civil_servant)
rules.add_perm("accounts.issue_verification_codes", is_civil_servant)
rules.add_perm("accounts.review_code_batches", is_staff_role)
rules.add_perm("accounts.approve_code_batch", is_civil_servant)


@rules.predicate
def is_staff_account(user) -> bool:
    """Civil servant, administrator, or an account with access to the Django admin."""
    return bool(user.is_staff or user.is_superuser) or is_staff_role(user)


# Any signed-in resident may redeem a code they were handed; never a staff account (four eyes).
rules.add_perm("accounts.redeem_verification_code", rules.is_authenticated & ~is_staff_account)

# Roles other than community membership are given by administrators (`services.set_roles`).
rules.add_perm("accounts.edit_roles", is_administrator)
# The resident themselves, logged in with DigiD (the page checks the DigiD session).
rules.add_perm("accounts.verify_with_digid", rules.is_authenticated)
