"""The staff's intake: start, save answers, confirm, publish or withdraw the score profile."""

from collections.abc import Mapping
from datetime import date as date_type

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from initiatives.models import Initiative
from notifications import services as notifications
from notifications.models import Kind as EventKind

from .. import scoring, selectors
from ..models import Intake
from .answers import AnswerInput, _lock, _save_answers


@service("intake.start_intake", system=True)
def start_intake(
    *,
    initiative: Initiative,
    actor: User | None,
    method: str = Intake.Method.CONVERSATION,
    date: date_type | None = None,
) -> Intake:
    """Open a draft intake for `initiative` with the newest published questionnaire version."""
    questionnaire = selectors.newest_published_questionnaire()
    if questionnaire is None:
        raise ValidationError(
            _("No questionnaire version is published yet; an administrator must publish one."),
            code="no_questionnaire",
        )
    if method not in Intake.Method.values:
        raise ValidationError(_("Choose how the intake is filled in."), code="method")
    return Intake.objects.create(
        initiative=initiative,
        questionnaire=questionnaire,
        method=method,
        date=date or timezone.localdate(),
        conducted_by=actor,
    )


@service("intake.review_intake", obj="intake", system=True)
def save_answers(
    *, intake: Intake, answers: Mapping[int, AnswerInput], actor: User | None
) -> Intake:
    """Store (draft) answers by question number; an empty answer removes a stored one.

    Allowed until the intake is confirmed; a civil servant may also correct a submitted intake.
    """
    intake = _lock(intake)
    if intake.is_confirmed:
        raise ValidationError(_("A confirmed intake can no longer be changed."), code="confirmed")
    _save_answers(intake, answers)
    return intake


@service("intake.review_intake", obj="intake", system=True)
def confirm_intake(*, intake: Intake, actor: User | None) -> Intake:
    """A civil servant confirms the answers; the composite score is computed and stored now."""
    intake = _lock(intake)
    if intake.is_confirmed:
        raise ValidationError(_("This intake was already confirmed."), code="confirmed")
    if not intake.answers.exists():
        raise ValidationError(_("Answer at least one question before confirming."), code="empty")
    values = selectors.scale_profile(intake)
    weights = selectors.composite_weights(intake.questionnaire)
    now = timezone.now()
    intake.composite = scoring.composite(values, weights)
    intake.status = Intake.Status.CONFIRMED
    intake.confirmed_by = actor
    intake.confirmed_at = now
    intake.save()
    # Nobody fills in a confirmed intake any more: withdraw the links still open.
    intake.links.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    _tell_confirmed(intake, actor)
    return intake


def _tell_confirmed(intake: Intake, actor) -> None:
    """The initiator (by e-mail, they have no account) and who held the intake, when that was a
    colleague, hear that it is confirmed; the link leads to the initiative's public page."""
    conductor = intake.conducted_by
    email = intake.initiative.contact_email.strip()
    notifications.emit(
        kind=EventKind.INTAKE_CONFIRMED,
        subject=f"intake.intake:{intake.pk}",
        url=intake.initiative.get_absolute_url(),
        recipients=[conductor] if conductor is not None and conductor != actor else [],
        addresses=[(email, translation.get_language() or "nl")] if email else [],
        data={"initiative": intake.initiative.name},
    )


@service("intake.review_intake", obj="intake", system=True)
def set_profile_published(*, intake: Intake, published: bool, actor: User | None) -> Intake:
    """Publish (or withdraw) a confirmed intake's profile for everyone to see."""
    intake = _lock(intake)
    if published and not intake.is_confirmed:
        raise ValidationError(_("Only a confirmed intake can be published."), code="not_confirmed")
    if intake.is_published != published:
        intake.is_published = published
        intake.save(update_fields=["is_published", "updated_at"])
        _tell_profile(intake, published)
    return intake


def _tell_profile(intake: Intake, published: bool) -> None:
    """The initiator hears (by e-mail) that their intake's profile went on or off the site."""
    email = intake.initiative.contact_email.strip()
    notifications.emit(
        kind=EventKind.PROFILE_PUBLISHED if published else EventKind.PROFILE_WITHDRAWN,
        subject=f"intake.intake:{intake.pk}",
        url=(
            reverse("intake:profile", args=[intake.pk])
            if published
            else intake.initiative.get_absolute_url()
        ),
        addresses=[(email, translation.get_language() or "nl")] if email else [],
        data={"initiative": intake.initiative.name},
    )
