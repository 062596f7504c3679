"""The second factor for staff who log in with a password: TOTP plus single-use recovery codes.

Who needs it: anyone with a staff role (civil servant, administrator) or is_staff, unless this
session was logged in through the municipality's SSO (its identity provider does MFA).
Residents never need it. The check is `accounts.middleware.SecondFactorMiddleware`. The first
authenticator of an account is set up only after opening a link e-mailed to the person's own
address (`accounts.enrolment`); replacing one needs the second factor.
"""

import logging
from base64 import b32encode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.qr import qr_svg

from . import enrolment
from .models import Role
from .signals import authenticator_set

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def needs_second_factor(user) -> bool:
    """Whether this account holds staff rights (and so must prove a second factor)."""
    if not user or not user.is_authenticated:
        return False
    return bool(
        user.is_staff
        or user.is_superuser
        or user.has_role(Role.CIVIL_SERVANT)
        or user.has_role(Role.ADMINISTRATOR)
    )


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def may_set_up(request) -> bool:
    """Whether this session may see a new authenticator's key and confirm it.

    Replacing a confirmed authenticator needs the second factor first. The first one (a new
    account, or after a superuser removed a lost one) needs the link e-mailed to the person's
    own address (accounts.enrolment): the password alone is not enough (security review
    2026-12-06, S5)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if has_confirmed_device(user):
        return is_verified(request)
    return enrolment.is_proven(request)


@transaction.atomic
def start_totp_setup(*, request) -> TOTPDevice:
    """The unconfirmed authenticator of the signed-in person (made the first time), to show
    its key; only to a session that `may_set_up`."""
    if not may_set_up(request):
        raise PermissionDenied
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def confirm_totp_setup(*, request, token: str) -> list[str]:
    """Confirm the authenticator with a first code; returns new recovery codes (shown once).

    Only for a session that `may_set_up`. The session counts as verified from here on, and its
    proof of the e-mailed link ends. A wrong code counts towards throttling."""
    if not may_set_up(request):
        raise PermissionDenied
    user = request.user
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False, name=TOTP_NAME)
            .first()
        )
        if device is None:
            raise ValidationError(_("Start the set-up again."))
        right = device.verify_token(clean_token(token))
        if right:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # Only one authenticator per person: an older one stops working.
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = new_recovery_codes(user=user)
            authenticator_set.send(sender=TOTPDevice, user=user, moment=timezone.now())
    if not right:
        raise ValidationError(_("This code is not right. Type the 6 digits your app shows now."))
    otp_login(request, device)
    enrolment.forget(request)
    return codes


@transaction.atomic
def demo_totp_device(*, user) -> TOTPDevice:
    """The demo's confirmed authenticator for `user` (create_demo_users only; never production)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    return device


@transaction.atomic
def new_recovery_codes(*, user) -> list[str]:
    """Replace the recovery codes of `user` with new ones; each works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def clean_token(token: str) -> str:
    return "".join(token.split()).lower()


def verify_second_factor(*, request, token: str) -> None:
    """Check a code from the app or a recovery code (used up), and mark the session verified.

    A wrong code counts towards the devices' throttling (each failure doubles the wait), so
    the failure is committed before the error is raised."""
    token = clean_token(token)
    user = request.user
    matched = None
    with transaction.atomic():
        for device_class in (TOTPDevice, StaticDevice):
            devices = device_class.objects.select_for_update().filter(user=user, confirmed=True)
            for device in devices:
                if device.verify_token(token):
                    matched = device
                    break
            if matched:
                break
    if matched is None:
        logger.info("second factor: a wrong code for user %s", user.pk)
        raise ValidationError(
            _("This code is not right. Type the 6 digits your app shows now, or a recovery code.")
        )
    otp_login(request, matched)


def qr_code_svg(device: TOTPDevice) -> str:
    return qr_svg(device.config_url)


def readable_key(device: TOTPDevice) -> str:
    """The key in base32 groups of four, to type into an app that cannot scan."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
