"""Reads for accounts pages, each with a fixed number of queries."""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    MemberVerification,
    User,
    VerificationCode,
    VerificationCodeBatch,
    VerificationRequirement,
)
from .services import is_staff_account


def members_for_staff(*, search: str = "", status: str = "") -> QuerySet[User]:
    """Users with their roles and verification in force, for the civil servants' member list."""
    active = MemberVerification.objects.filter(revoked_at__isnull=True).select_related(
        "area", "verified_by"
    )
    qs = User.objects.filter(is_active=True).prefetch_related(
        "groups", Prefetch("verifications", queryset=active, to_attr="active_verifications")
    )
    return with_verification_status(search_members(qs, search), status).order_by("username")


def search_members(qs: QuerySet[User], search: str) -> QuerySet[User]:
    """The users whose user name, first or last name or e-mail address contains `search`."""
    if not search:
        return qs
    return qs.filter(
        Q(username__icontains=search)
        | Q(first_name__icontains=search)
        | Q(last_name__icontains=search)
        | Q(email__icontains=search)
    )


def with_verification_status(qs: QuerySet[User], status: str) -> QuerySet[User]:
    """Only the verified ("verified") or not verified ("unverified") users; else all of them."""
    verified_ids = MemberVerification.objects.filter(revoked_at__isnull=True).values("user_id")
    if status == "verified":
        return qs.filter(pk__in=verified_ids)
    if status == "unverified":
        return qs.exclude(pk__in=verified_ids)
    return qs


def active_verification(user) -> MemberVerification | None:
    return (
        MemberVerification.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("area", "verified_by")
        .first()
    )


def verification_codes() -> QuerySet[VerificationCode]:
    return VerificationCode.objects.select_related("area", "created_by", "used_by")


def code_batches() -> QuerySet[VerificationCodeBatch]:
    """Batches of verification codes with how many of their codes were used, for review."""
    return (
        VerificationCodeBatch.objects.select_related("issuer", "area", "approved_by")
        .annotate(used=Count("codes", filter=Q(codes__used_at__isnull=False)))
        .order_by("-created_at", "-pk")
    )


def requirement(action: str) -> VerificationRequirement:
    """The requirement of `action`; an action without a row needs a verification in force (the
    model's defaults: any method, valid until revoked; never "an account is enough")."""
    found = VerificationRequirement.objects.filter(action=action).first()
    return found or VerificationRequirement(action=action)


def verifications_enough_for(action: str, at=None) -> QuerySet[MemberVerification]:
    """The verifications in force at `at` (now) that are enough for `action`."""
    return _enough_for(requirement(action), at)


def verifications_enough_by(rule: VerificationRequirement, at=None):
    """The verifications in force at `at` (now) that are enough by `rule` as given, not as the
    requirements table holds it now: for a requirement another app froze (a budget round keeps
    the one of `budget_vote` from its freezing on). An account being enough asks only that one
    is in force (the caller asks its areas of it)."""
    if rule.account_is_enough:
        return MemberVerification.objects.filter(revoked_at__isnull=True)
    return _enough_for(rule, at)


def _enough_for(rule: VerificationRequirement, at=None) -> QuerySet[MemberVerification]:
    at = at or timezone.now()
    found = MemberVerification.objects.filter(
        revoked_at__isnull=True, method__in=rule.methods, verified_at__lte=at
    )
    if rule.valid_days is not None:
        found = found.filter(verified_at__gt=at - timedelta(days=rule.valid_days))
    return found


def may_do(user, action: str, at=None) -> bool:
    """Whether `user` may do `action` now by the requirements table (one or two queries).

    Every action in the table is one a resident does for themselves: a staff account (civil
    servant, administrator, admin access) never does it, also where an account is enough; the
    person uses their own, personal account (four eyes, as for verification itself).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_staff_account(user):
        return False
    rule = requirement(action)  # read once: the verifications below are filtered by it
    if rule.account_is_enough:
        return True
    return _enough_for(rule, at).filter(user=user).exists()
