"""The initiator's link: made by staff, valid for a while, used to fill in and submit the intake
without an account."""

import secrets
from collections.abc import Mapping
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from initiatives.models import Initiative
from notifications import selectors as notification_selectors
from notifications import services as notifications
from notifications.messages import in_each_language
from notifications.models import Event
from notifications.models import Kind as EventKind

from ..models import Intake, IntakeLink, hash_token
from .answers import AnswerInput, _lock, _save_answers
from .intakes import start_intake

LINK_VALID_DAYS = 14


def _new_link(intake: Intake, actor) -> tuple[IntakeLink, str]:
    now = timezone.now()
    intake.links.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    attempts = 3
    for attempt in range(1, attempts + 1):
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                link = IntakeLink.objects.create(
                    intake=intake,
                    token_hash=hash_token(token),
                    created_by=actor,
                    created_at=now,
                    expires_at=now + timedelta(days=LINK_VALID_DAYS),
                )
        except IntegrityError:  # pragma: no cover - a 256-bit collision; draw again
            if attempt == attempts:
                raise
        else:
            return link, token
    raise AssertionError("unreachable")  # pragma: no cover


def _send_link(intake: Intake, link: IntakeLink, token: str, email: str) -> None:
    """E-mail the link to the initiator (the address given, else the initiative's contact
    address), with its expiry; without an address the civil servant passes the link on."""
    email = (email or intake.initiative.contact_email).strip()
    if not email:
        return
    expires = timezone.localtime(link.expires_at)
    notifications.emit(
        kind=EventKind.INTAKE_LINK,
        subject=f"intake.intake:{intake.pk}",
        url=reverse("intake:link", args=[token]),
        addresses=[(email, translation.get_language() or "nl")],
        data={
            "initiative": intake.initiative.name,
            "expires": in_each_language(lambda: formats.date_format(expires, "DATE_FORMAT")),
        },
    )


@service("intake.review_intake", obj="intake")
def create_initiator_link(
    *, intake: Intake, actor: User, email: str = ""
) -> tuple[IntakeLink, str]:
    """Make a single-use link for the initiator to fill in `intake`; returns it with its token.

    The token is shown once, and e-mailed to `email` (or the initiative's contact address).
    An earlier link that is still open is withdrawn; a submitted intake goes back to draft so
    the initiator can add to it.
    """
    intake = _lock(intake)
    if intake.is_confirmed:
        raise ValidationError(_("A confirmed intake can no longer be changed."), code="confirmed")
    if intake.status != Intake.Status.DRAFT:
        intake.status = Intake.Status.DRAFT
        intake.submitted_at = None
        intake.save(update_fields=["status", "submitted_at", "updated_at"])
    link, token = _new_link(intake, actor)
    _send_link(intake, link, token, email)
    return link, token


@service("intake.start_intake")
def invite_initiator(*, initiative: Initiative, actor: User, email: str = "") -> tuple[Intake, str]:
    """Open a draft intake to be filled in by the initiator, with a link; returns it and the
    token, and e-mails the link to `email` (or the initiative's contact address)."""
    intake = start_intake(initiative=initiative, actor=actor, method=Intake.Method.LINK)
    link, token = _new_link(intake, actor)
    _send_link(intake, link, token, email)
    return intake, token


def _usable_link(link: IntakeLink) -> IntakeLink:
    link = IntakeLink.objects.select_for_update().select_related("intake").get(pk=link.pk)
    if not link.is_usable():
        raise ValidationError(
            _("This link can no longer be used. Ask the municipality for a new one."),
            code="gone",
        )
    return link


@transaction.atomic
def save_answers_by_link(*, link: IntakeLink, answers: Mapping[int, AnswerInput]) -> Intake:
    """The initiator saves draft answers; the link stays usable until it is submitted."""
    link = _usable_link(link)
    intake = _lock(link.intake)
    _save_answers(intake, answers)
    _tell_started(intake, link)
    return intake


def _tell_started(intake: Intake, link: IntakeLink) -> None:
    """The first time an initiator saves answers with a link, who made the link hears it; once
    per link (the link's row is locked, so two saves at once cannot both be first)."""
    subject = f"intake.link:{link.pk}"
    if Event.objects.filter(kind=EventKind.INTAKE_STARTED, subject=subject).exists():
        return
    notifications.emit(
        kind=EventKind.INTAKE_STARTED,
        subject=subject,
        url=intake.get_absolute_url(),
        recipients=[link.created_by],
        data={"initiative": intake.initiative.name},
    )


@transaction.atomic
def submit_by_link(*, link: IntakeLink, answers: Mapping[int, AnswerInput]) -> Intake:
    """The initiator submits the answers: they are saved, the intake awaits review, the link is used."""
    link = _usable_link(link)
    intake = _lock(link.intake)
    _save_answers(intake, answers)
    now = timezone.now()
    intake.status = Intake.Status.SUBMITTED
    intake.submitted_at = now
    intake.save(update_fields=["status", "submitted_at", "updated_at"])
    link.used_at = now
    link.save(update_fields=["used_at"])
    notifications.emit(
        kind=EventKind.INTAKE_TO_CONFIRM,
        subject=f"intake.intake:{intake.pk}",
        url=intake.get_absolute_url(),
        recipients=notification_selectors.civil_servants(),
        data={"initiative": intake.initiative.name},
    )
    return intake
