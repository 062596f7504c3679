"""Every write in accounts: verification of community members and verification codes."""

import hashlib
import hmac
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import audit_user, require, service

from . import signals
from .access import forget_access
from .models import (
    Area,
    ExternalIdentity,
    MemberVerification,
    Role,
    VerificationCode,
    VerificationCodeBatch,
)

User = get_user_model()

# No 0/O, 1/I/L: a printed code must survive being read aloud and typed over.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
MAX_CODES_PER_BATCH = 100


def normalise_code(code: str) -> str:
    """Upper-case and strip spaces and dashes, so "abcd-efgh ijkl" and "ABCDEFGHIJKL" match."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def _new_code() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


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


def _issuing(**kwargs):
    return service(
        "accounts.issue_verification_codes",
        message=_("Only a civil servant can issue verification codes."),
        **kwargs,
    )


@_issuing(obj="area")
def request_code_batch(
    *, area: Area, count: int, actor: User, valid_days: int | None = None
) -> VerificationCodeBatch:
    """Record a batch of `count` codes for `area`. Above VERIFICATION_BATCH_APPROVAL_ABOVE codes
    it waits for a second civil servant's approval; smaller batches can be printed at once."""
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationError(
            _("You can issue between 1 and %(max)d codes at a time.") % {"max": MAX_CODES_PER_BATCH}
        )
    batch = VerificationCodeBatch(
        issuer=actor,
        area=area,
        count=count,
        valid_days=valid_days or settings.VERIFICATION_CODE_VALID_DAYS,
        needs_approval=count > settings.VERIFICATION_BATCH_APPROVAL_ABOVE,
    )
    batch.save()
    if batch.needs_approval:
        signals.code_batch_needs_approval.send(
            sender=VerificationCodeBatch, batch=batch, actor=actor
        )
    return batch


@service(
    "accounts.approve_code_batch",
    obj="batch",
    message=_("Only a civil servant can approve a batch of codes."),
)
def approve_code_batch(*, batch: VerificationCodeBatch, actor: User) -> VerificationCodeBatch:
    """A second civil servant approves a large batch, so its issuer can print it."""
    batch = VerificationCodeBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.issuer_id == actor.pk:
        raise ValidationError(
            _("You asked for this batch yourself. Another civil servant must approve it.")
        )
    if not batch.needs_approval:
        raise ValidationError(_("This batch is small and needs no approval."))
    if batch.approved_at is not None:
        raise ValidationError(_("This batch was already approved."))
    batch.approved_by = actor
    batch.approved_at = timezone.now()
    batch.save(update_fields=["approved_by", "approved_at"])
    signals.code_batch_approved.send(sender=VerificationCodeBatch, batch=batch, actor=actor)
    return batch


@_issuing(obj="batch")
def print_code_batch(*, batch: VerificationCodeBatch, actor: User) -> list[str]:
    """Make the batch's codes and return them in plain text, once, for its issuer to print.

    Only a hash of each code is stored, so the codes cannot be shown a second time.
    """
    batch = (
        VerificationCodeBatch.objects.select_for_update().select_related("area").get(pk=batch.pk)
    )
    if batch.issuer_id != actor.pk:
        raise ValidationError(_("Only the civil servant who asked for this batch can print it."))
    if batch.printed_at is not None:
        raise ValidationError(
            _("This batch was printed already. Codes are shown only once; ask for a new batch.")
        )
    if batch.needs_approval and batch.approved_at is None:
        raise ValidationError(
            _("This batch is waiting for approval by another civil servant. Then you can print it.")
        )
    now = timezone.now()
    codes = []
    while len(codes) < batch.count:
        code = _new_code()
        try:
            with transaction.atomic():
                VerificationCode.objects.create(
                    code_hash=hash_code(code),
                    suffix=normalise_code(code)[-4:],
                    area=batch.area,
                    batch=batch,
                    created_by=batch.issuer,
                    created_at=now,
                    expires_at=now + timedelta(days=batch.valid_days),
                )
        except IntegrityError:  # pragma: no cover - a 60-bit collision; draw again
            continue
        codes.append(code)
    batch.printed_at = now
    batch.save(update_fields=["printed_at"])
    signals.code_batch_printed.send(sender=VerificationCodeBatch, batch=batch, actor=actor)
    return codes


@_issuing(obj="area")
def issue_code_batch(
    *, area: Area, count: int, actor: User, valid_days: int | None = None
) -> tuple[VerificationCodeBatch, list[str]]:
    """Request a batch and print it at once when it needs no approval, in one transaction: the
    batch and its plain codes, or the batch and no codes while it waits for a colleague."""
    batch = request_code_batch(area=area, count=count, actor=actor, valid_days=valid_days)
    if batch.needs_approval:
        return batch, []
    codes = print_code_batch(batch=batch, actor=actor)
    batch.refresh_from_db()
    return batch, codes


@_issuing(obj="area")
def issue_verification_codes(
    *, area: Area, count: int, actor: User, valid_days: int | None = None
) -> list[str]:
    """Request and print a batch small enough to need no approval; returns the plain codes."""
    batch = request_code_batch(area=area, count=count, actor=actor, valid_days=valid_days)
    if batch.needs_approval:
        raise ValidationError(
            _("More than %(limit)d codes at a time need approval by another civil servant.")
            % {"limit": settings.VERIFICATION_BATCH_APPROVAL_ABOVE}
        )
    return print_code_batch(batch=batch, actor=actor)


def check_verification_code(code: str, *, for_update: bool = False) -> VerificationCode:
    """The usable code record for a typed code, or a ValidationError that says what is wrong.

    Registration calls this first, so nothing about user names is told before the code is valid.
    """
    normalised = normalise_code(code)
    if not normalised:
        raise ValidationError(_("Enter the verification code you were given."), code="empty")
    records = VerificationCode.objects.select_related("area", "created_by", "batch")
    if for_update:
        records = records.select_for_update(of=("self",))  # the batch join may be empty
    record = records.filter(code_hash=hash_code(normalised)).first()
    if record is None:
        raise ValidationError(
            _(
                "This verification code is unknown. Check it for typing errors, or ask the municipality for a new one."
            ),
            code="unknown",
        )
    if record.is_used:
        raise ValidationError(
            _(
                "This verification code has already been used. Each code works only once; ask the municipality for a new one."
            ),
            code="used",
        )
    if record.batch is not None and record.batch.needs_approval and not record.batch.approved_at:
        # Not reachable through print_code_batch; a guard should a code ever be made otherwise.
        raise ValidationError(
            _("This verification code is not approved yet. Ask the municipality."),
            code="unapproved",
        )
    if record.is_expired():
        raise ValidationError(
            _("This verification code expired on %(date)s. Ask the municipality for a new one.")
            % {"date": timezone.localtime(record.expires_at).strftime("%d-%m-%Y")},
            code="expired",
        )
    return record


@transaction.atomic
def redeem_verification_code(*, actor: User, code: str) -> MemberVerification:
    """Verify `actor` as a community member with a printed code; the code can be used once.

    A staff account can never redeem a code: the person who prints codes must not be able to
    make themselves (or invented accounts under their control) community members. That refusal
    comes first, with its own message and code "staff"; then the rule the page asks.
    """
    user = actor
    if is_staff_account(user):
        raise ValidationError(
            _(
                "A staff account cannot use a verification code. "
                "Use your personal account, and get your code from a colleague."
            ),
            code="staff",
        )
    require(actor, "accounts.redeem_verification_code")
    with audit_user(actor):
        return _redeem(user, code)


def _redeem(user: User, code: str) -> MemberVerification:
    record = check_verification_code(code, for_update=True)
    if MemberVerification.objects.filter(user=user, revoked_at__isnull=True).exists():
        raise ValidationError(_("Your account is already verified."), code="already_verified")
    now = timezone.now()
    record.used_by = user
    record.used_at = now
    record.save(update_fields=["used_by", "used_at"])
    verification = MemberVerification.objects.create(
        user=user,
        area=record.area,
        method=MemberVerification.Method.CODE,
        verified_by=record.created_by,
        verified_at=now,
        code=record,
    )
    _add_role(user, Role.COMMUNITY_MEMBER)
    return verification


def suggest_username(base: str = "") -> str:
    """A free user name: `base` with a number added, or a neutral one such as "buurtbewoner4821".

    It need not be the person's real name; the suggestion keeps them from having to invent one.
    """
    stem = "".join(ch for ch in base.lower() if ch.isalnum())[:140] or _("neighbour").lower()
    for _attempt in range(50):
        candidate = f"{stem}{secrets.randbelow(9000) + 1000}"
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    return f"{stem}{secrets.token_hex(4)}"  # pragma: no cover - 50 taken numbers in a row


@transaction.atomic
def register_with_code(*, username: str, password: str, code: str, email: str = "") -> User:
    """Create an account and verify it with a printed code, all or nothing.

    The code is checked before anything else: without a valid code nobody learns whether a user
    name exists. A taken name is then refused with a free suggestion. No actor: a visitor
    without an account; the new account redeems the code as its own actor.
    """
    check_verification_code(code, for_update=True)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("This user name is taken. You could use %(suggestion)s.")
            % {"suggestion": suggest_username(username)},
            code="username_taken",
        )
    user = User(username=username, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    redeem_verification_code(actor=user, code=code)
    return user


@service("accounts.edit_roles", obj="user", message=_("Only an administrator can change roles."))
def set_roles(*, user: User, roles: set[Role], actor: User) -> None:
    """Give `user` exactly these roles (administrators only). Community membership comes
    from verification and is left as it is."""
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


def hash_bsn(bsn: str) -> str:
    """A keyed hash (HMAC-SHA256 with DIGID_BSN_HASH_KEY) of a BSN: recognises a person, and
    without the key cannot be turned back into the BSN by trying all nine-digit numbers."""
    digits = "".join(ch for ch in bsn if ch.isdigit())
    return hmac.new(
        settings.DIGID_BSN_HASH_KEY.encode(), digits.encode(), hashlib.sha256
    ).hexdigest()


def _free_username(wanted: str) -> str:
    base = "".join(ch for ch in wanted if ch.isalnum() or ch in "@.+-_")[:140] or "gebruiker"
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


@transaction.atomic
def user_for_staff_sso(
    *, subject: str, username: str, email: str = "", first_name: str = "", last_name: str = ""
) -> User:
    """The account of a person logging in through the municipality's identity provider.

    The first time an account is made with no role and no password: an administrator grants
    roles. The actor is the system (the identity provider vouches for the person)."""
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=ExternalIdentity.Provider.STAFF_SSO, subject=subject)
        .first()
    )
    if identity is not None:
        user = identity.user
        changed = {
            field: value
            for field, value in {
                "email": email,
                "first_name": first_name[:150],
                "last_name": last_name[:150],
            }.items()
            if value and getattr(user, field) != value
        }
        if changed:
            for field, value in changed.items():
                setattr(user, field, value)
            user.save(update_fields=list(changed))
        return user
    user = User(
        username=_free_username(username or email.split("@")[0]),
        email=email,
        first_name=first_name[:150],
        last_name=last_name[:150],
    )
    user.set_unusable_password()
    user.save()
    ExternalIdentity.objects.create(
        user=user, provider=ExternalIdentity.Provider.STAFF_SSO, subject=subject
    )
    return user


@transaction.atomic
def user_for_digid(*, bsn: str) -> User:
    """The account of a resident logging in with DigiD; made the first time, with no password.

    Only a keyed hash of the BSN is stored."""
    subject = hash_bsn(bsn)
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=ExternalIdentity.Provider.DIGID, subject=subject)
        .first()
    )
    if identity is not None:
        return identity.user
    user = User(username=_free_username(f"digid-{secrets.token_hex(4)}"))
    user.set_unusable_password()
    user.save()
    ExternalIdentity.objects.create(
        user=user, provider=ExternalIdentity.Provider.DIGID, subject=subject
    )
    return user


@service(
    "accounts.verify_with_digid",
    obj="user",
    message=_("Only the resident can do this, after logging in with DigiD."),
)
def verify_with_digid(*, user: User, area: Area, actor: User) -> MemberVerification:
    """A resident who logged in with DigiD says which area they live in and becomes a member.

    DigiD proves who the person is; the area is their own statement, which a civil servant can
    revoke. The caller (the view) checks that this session was logged in with DigiD."""
    if actor.pk != user.pk:
        raise ValidationError(_("Only the resident can do this, after logging in with DigiD."))
    if not ExternalIdentity.objects.filter(
        user=user, provider=ExternalIdentity.Provider.DIGID
    ).exists():
        raise ValidationError(_("Log in with DigiD first."))
    if (
        MemberVerification.objects.select_for_update()
        .filter(user=user, revoked_at__isnull=True)
        .exists()
    ):
        raise ValidationError(_("Your account is already verified."), code="already_verified")
    verification = MemberVerification.objects.create(
        user=user,
        area=area,
        method=MemberVerification.Method.DIGID,
        verified_by=None,
        note=_("Area chosen by the resident after logging in with DigiD."),
    )
    _add_role(user, Role.COMMUNITY_MEMBER)
    return verification
