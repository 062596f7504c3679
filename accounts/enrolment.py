"""The first authenticator of an account is set up only through a link e-mailed to the person.

Security review 2026-12-06, S5: whoever knew the password of an account without an
authenticator (a new staff account, or one whose lost phone a superuser removed) could set up
their own app and so hold both factors. Now the set-up page shows a key only to a session that
proved it can read the person's own e-mail: it opened the link of this module.

The link is a token in the style of Django's password reset (`PasswordResetTokenGenerator`, its
own salt). It is made from the account's password hash, e-mail address and confirmed
authenticators, so it stops working when any of them changes: once an authenticator is confirmed
it is used up. It also ends after SECOND_FACTOR_ENROLMENT_HOURS. Unlike Django's it leaves out
the last log-in, because the person may log in after opening the link.

The link is a secret and is never stored: it goes out in the e-mail only, sent here and not
through `notifications` (whose outbox the database role and administrators can read). The
session keeps only a proof: the account's number and a keyed hash of the same state, never the
token. So the proof ends too when an authenticator is confirmed or the password or address
changes.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.addresses import public_url

logger = logging.getLogger(__name__)

PROOF_SESSION_KEY = "_second_factor_enrolment"
SUBJECT_TEMPLATE = "accounts/email/enrolment_link_subject.txt"
TEXT_TEMPLATE = "accounts/email/enrolment_link.txt"
HTML_TEMPLATE = "accounts/email/enrolment_link.html"


class EnrolmentTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token with its own salt, its own lifetime and its own state."""

    key_salt = "accounts.enrolment.EnrolmentTokenGenerator"

    def state(self, user) -> str:
        """What the token and the proof depend on: when it changes, both stop working."""
        confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")
        devices = ",".join(str(pk) for pk in confirmed.values_list("pk", flat=True))
        email = getattr(user, user.get_email_field_name(), "") or ""
        return f"{user.pk}|{user.password}|{email}|{devices}"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{self.state(user)}|{timestamp}"

    def check_token(self, user, token) -> bool:
        """Django's check, with SECOND_FACTOR_ENROLMENT_HOURS for PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return 0 <= age <= lifetime_seconds()


tokens = EnrolmentTokenGenerator()


def lifetime_seconds() -> int:
    return settings.SECOND_FACTOR_ENROLMENT_HOURS * 3600


def masked_email(address: str) -> str:
    """The address as the page shows it: "j•••@gemeente.nl" (enough to recognise it)."""
    local, _at, domain = address.rpartition("@")
    if not local:
        return "•••"
    return f"{local[0]}•••@{domain}"


def link_path(user) -> str:
    """The path of a new enrolment link for `user` (a secret: only for the e-mail)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:second_factor_enrolment", args=[uidb64, tokens.make_token(user)])


def send_link(*, user) -> bool:
    """E-mail `user` a link to set up their first authenticator, in the active language.

    Sent directly, never stored. False when there is no address or the mail server refused; the
    reason is logged without the link."""
    if not user.email:
        return False
    context = {
        "user": user,
        "url": public_url(link_path(user)),
        "hours": settings.SECOND_FACTOR_ENROLMENT_HOURS,
    }
    subject = "".join(render_to_string(SUBJECT_TEMPLATE, context).splitlines())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(TEXT_TEMPLATE, context), to=[user.email]
    )
    message.attach_alternative(render_to_string(HTML_TEMPLATE, context), "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("enrolment link: no e-mail to user %s (%s)", user.pk, type(error).__name__)
        return False
    return True


def account_number(uidb64: str) -> int | None:
    """The account number in a link, or None when it holds none."""
    try:
        return int(get_user_model()._meta.pk.to_python(urlsafe_base64_decode(uidb64).decode()))
    except (TypeError, ValueError, OverflowError, ValidationError):
        return None


def active_account(number: int | None):
    """The active account with this number, or None."""
    if number is None:
        return None
    try:
        return get_user_model()._default_manager.filter(pk=number, is_active=True).first()
    except (ValueError, OverflowError):  # a number too large for the database
        return None


def _state_digest(user) -> str:
    return salted_hmac(f"{tokens.key_salt}.proof", tokens.state(user)).hexdigest()


def prove(request, user) -> None:
    """The link of `user` was opened in this session: remember that (not the token).

    An authenticator that waits for its first code, whose key someone may have seen before,
    is removed, so the key shown from now on is a new one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    request.session[PROOF_SESSION_KEY] = {"user": user.pk, "state": _state_digest(user)}


def is_proven(request) -> bool:
    """Whether this session opened a valid link of the signed-in account, and nothing the link
    depends on changed since."""
    proof = request.session.get(PROOF_SESSION_KEY)
    user = request.user
    if not isinstance(proof, dict) or not user.is_authenticated or proof.get("user") != user.pk:
        return False
    return constant_time_compare(str(proof.get("state", "")), _state_digest(user))


def forget(request) -> None:
    """The proof ends (the authenticator is confirmed)."""
    request.session.pop(PROOF_SESSION_KEY, None)


def drop_proof_of_another_account(request) -> bool:
    """A link opened before logging in as another account proves nothing for this one: drop it.
    True when there was one, so the page can say so."""
    proof = request.session.get(PROOF_SESSION_KEY)
    if not isinstance(proof, dict) or proof.get("user") == request.user.pk:
        return False
    forget(request)
    return True
