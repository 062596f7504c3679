"""Compute a TOTP code from a device's key, as the person's authenticator app would."""

import time

from django_otp.oath import TOTP


def totp_token(device, at: float | None = None) -> str:
    """The 6-digit code the app shows at time `at` (now by default)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits)
    generator.time = time.time() if at is None else at
    return str(generator.token()).zfill(device.digits)
