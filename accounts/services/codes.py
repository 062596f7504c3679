"""Verification codes: batches requested, approved with four eyes and printed by staff, and a
code redeemed by a resident (which verifies them in the code's area)."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.services import audit_user, require, service

from .. import signals
from ..models import Area, MemberVerification, Role, VerificationCode, VerificationCodeBatch
from .members import User, _add_role, is_staff_account

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


def _issuing(**kwargs):
    return service(
        "accounts.issue_verification_codes",
        message=_("Only a civil servant can issue verification codes."),
        **kwargs,
    )


def _approval_window() -> timedelta:
    return timedelta(days=settings.VERIFICATION_BATCH_APPROVAL_DAYS)


def _codes_asked(issuer_id: int, *, since: datetime, before: int | None = None) -> int:
    """The codes `issuer_id` asked for after `since` (in batches before the batch `before`):
    every batch counts, approved, waiting or printed, because each code can make a voter."""
    batches = VerificationCodeBatch.objects.filter(issuer_id=issuer_id, created_at__gt=since)
    if before is not None:
        batches = batches.filter(pk__lt=before)
    return batches.aggregate(total=Sum("count"))["total"] or 0


@_issuing(obj="area")
def request_code_batch(
    *, area: Area, count: int, actor: User, valid_days: int | None = None
) -> VerificationCodeBatch:
    """Record a batch of `count` codes for `area`. It waits for a second civil servant's approval
    when the codes its issuer asked in the last VERIFICATION_BATCH_APPROVAL_DAYS days, this batch
    included, are more than VERIFICATION_BATCH_APPROVAL_ABOVE; otherwise it can be printed at once.
    """
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationError(
            _("You can issue between 1 and %(max)d codes at a time.") % {"max": MAX_CODES_PER_BATCH}
        )
    # Four eyes over a window, not per batch: three batches of 20 are 60 codes (security review
    # S1). The issuer's row lock makes their next request wait until this one commits, so two at
    # once cannot each count without the other. Locking their batches would not do: the first
    # batch of the week has no row to lock yet.
    User.objects.select_for_update().only("pk").get(pk=actor.pk)
    now = timezone.now()
    earlier = _codes_asked(actor.pk, since=now - _approval_window())
    batch = VerificationCodeBatch(
        issuer=actor,
        area=area,
        count=count,
        valid_days=valid_days or settings.VERIFICATION_CODE_VALID_DAYS,
        created_at=now,
        needs_approval=earlier + count > settings.VERIFICATION_BATCH_APPROVAL_ABOVE,
    )
    batch.save()
    if batch.needs_approval:
        signals.code_batch_needs_approval.send(
            sender=VerificationCodeBatch, batch=batch, actor=actor
        )
    return batch


def approval_reason(batch: VerificationCodeBatch) -> str:
    """Why `batch` waits for a colleague, in words for its issuer: too many codes at once, or too
    many together with the codes they asked in the window before it."""
    limit = settings.VERIFICATION_BATCH_APPROVAL_ABOVE
    if batch.count > limit:
        return _("More than %(limit)d codes at a time need approval by another civil servant.") % {
            "limit": limit
        }
    earlier = _codes_asked(
        batch.issuer_id, since=batch.created_at - _approval_window(), before=batch.pk
    )
    return ngettext(
        "You have already asked for %(earlier)d code in the last %(days)d days. With this batch "
        "that makes %(total)d. Above %(limit)d codes in %(days)d days, another civil servant "
        "must approve.",
        "You have already asked for %(earlier)d codes in the last %(days)d days. With this batch "
        "that makes %(total)d. Above %(limit)d codes in %(days)d days, another civil servant "
        "must approve.",
        earlier,
    ) % {
        "earlier": earlier,
        "days": settings.VERIFICATION_BATCH_APPROVAL_DAYS,
        "total": earlier + batch.count,
        "limit": limit,
    }


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
        raise ValidationError(approval_reason(batch))
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
