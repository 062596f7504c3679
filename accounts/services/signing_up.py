"""Accounts from outside: registering with a code, and the accounts of a staff single sign-on
or a DigiD log-in (with the area the resident then chooses)."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.services import service

from ..models import Area, ExternalIdentity, MemberVerification, Role
from .codes import check_verification_code, redeem_verification_code
from .members import User, _add_role, is_staff_account


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
    revoke. The caller (the view) checks that this session was logged in with DigiD. A staff
    account is refused as in `verify_member` and code redemption: four eyes, also with DigiD."""
    if actor.pk != user.pk:
        raise ValidationError(_("Only the resident can do this, after logging in with DigiD."))
    if is_staff_account(user):
        raise ValidationError(
            _(
                "A staff account cannot become a community member. "
                "The resident uses a separate, personal account."
            ),
            code="staff",
        )
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
