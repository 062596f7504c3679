"""Members and roles: verifying a resident in person, revoking a verification, an
administrator's change of roles."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import service

from ..access import forget_access
from ..models import Area, MemberVerification, Role

User = get_user_model()


def is_staff_account(user) -> bool:
    """Civil servants, administrators and anyone with access to the Django admin.

    Such an account is never a community member: the person uses a separate, personal account, so
    no one can verify themselves or vote with the power of their office (four eyes).
    """
    return bool(
        user.is_staff
        or user.is_superuser
        or user.has_role(Role.CIVIL_SERVANT)
        or user.has_role(Role.ADMINISTRATOR)
    )


def _add_role(user, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role.value))
    forget_access(user)


def _remove_role(user, role: Role) -> None:
    user.groups.remove(Group.objects.get(name=role.value))
    forget_access(user)


@service(
    "accounts.verify_member",
    obj="user",
    message=_("Only a civil servant can verify community members."),
)
def verify_member(
    *, user: User, area: Area, actor: User, note: str = "", date_of_birth: date | None = None
) -> MemberVerification:
    """Record that a civil servant verified `user` in person as a community member of `area`,
    with their date of birth if the civil servant saw it (optional; to find them at a
    Community Home's table). A member already verified for another area (after a move) has the
    old verification revoked.
    """
    if actor.pk == user.pk:
        raise ValidationError(_("You cannot verify yourself."))
    if is_staff_account(user):
        raise ValidationError(
            _(
                "A staff account cannot become a community member. "
                "The resident uses a separate, personal account."
            )
        )
    if date_of_birth is not None and not (
        date(1900, 1, 1) <= date_of_birth <= timezone.localdate()
    ):
        raise ValidationError({"date_of_birth": _("Enter a date of birth in the past.")})
    current = (
        MemberVerification.objects.select_for_update()
        .filter(user=user, revoked_at__isnull=True)
        .first()
    )
    if current is not None:
        if current.area_id == area.pk:
            raise ValidationError(
                _("%(user)s is already verified for %(area)s.") % {"user": user, "area": area}
            )
        _revoke(current, actor=actor, reason=_("Verified again for %(area)s.") % {"area": area})
    verification = MemberVerification.objects.create(
        user=user,
        area=area,
        method=MemberVerification.Method.IN_PERSON,
        verified_by=actor,
        note=note,
        date_of_birth=date_of_birth,
    )
    _add_role(user, Role.COMMUNITY_MEMBER)
    return verification


def _revoke(verification: MemberVerification, *, actor: User, reason: str) -> None:
    verification.revoked_at = timezone.now()
    verification.revoked_by = actor
    verification.revoke_reason = reason
    verification.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])


@service(
    "accounts.verify_member",
    obj="verification",
    message=_("Only a civil servant can verify community members."),
)
def revoke_verification(*, verification: MemberVerification, actor: User, reason: str) -> None:
    """Withdraw a verification (moved away, mistaken identity); the member loses the role."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for revoking the verification."))
    verification = MemberVerification.objects.select_for_update().get(pk=verification.pk)
    if verification.revoked_at is not None:
        raise ValidationError(_("This verification was already revoked."))
    _revoke(verification, actor=actor, reason=reason)
    _remove_role(verification.user, Role.COMMUNITY_MEMBER)


@service("accounts.edit_roles", obj="user", message=_("Only an administrator can change roles."))
def set_roles(*, user: User, roles: set[Role], actor: User) -> None:
    """Give `user` exactly these roles (administrators only). Community membership comes
    from verification and is left as it is. Nobody changes their own roles: an administrator
    who made themselves a civil servant could move money (four eyes: another administrator)."""
    if user.pk == actor.pk:
        raise ValidationError(
            _("You cannot change your own roles. Ask another administrator."), code="own_roles"
        )
    staff_roles = {Role.CIVIL_SERVANT, Role.ADMINISTRATOR}
    if (
        roles & staff_roles
        and MemberVerification.objects.filter(user=user, revoked_at__isnull=True).exists()
    ):
        # Four eyes: a staff account is never also a community member.
        raise ValidationError(
            _("%(user)s is a verified community member. A staff role needs a separate account.")
            % {"user": user}
        )
    for role in Role:
        if role is Role.COMMUNITY_MEMBER:
            continue
        if role in roles:
            _add_role(user, role)
        else:
            _remove_role(user, role)
