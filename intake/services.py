"""Every write in intake: intakes and their answers, initiator links, questionnaire versions."""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
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

from . import scoring, selectors
from .models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    Intake,
    IntakeLink,
    Option,
    Question,
    Questionnaire,
    hash_token,
)

LINK_VALID_DAYS = 14


@dataclass
class AnswerInput:
    """What a form delivers for one question; which parts matter depends on the question's kind."""

    scale_value: int | None = None
    text: str = ""
    other_text: str = ""
    option_ids: list[int] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return (
            self.scale_value is None
            and not self.text.strip()
            and not self.other_text.strip()
            and not self.option_ids
        )


def _lock(intake: Intake) -> Intake:
    return Intake.objects.select_for_update().select_related("questionnaire").get(pk=intake.pk)


# --- Intakes -------------------------------------------------------------------------------------


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


def _clean_answer(
    question: Question, given: AnswerInput, options: dict[int, Option]
) -> AnswerInput:
    """Check one answer against its question; returns the answer as it will be stored."""
    if question.kind == Question.Kind.SCALE:
        value = given.scale_value
        if value is not None and not SCALE_MIN <= value <= SCALE_MAX:
            raise ValidationError(
                _("Choose a score from %(min)d to %(max)d.") % {"min": SCALE_MIN, "max": SCALE_MAX}
            )
        return AnswerInput(scale_value=value)
    if question.kind == Question.Kind.TEXT:
        return AnswerInput(text=given.text.strip())
    chosen = list(dict.fromkeys(given.option_ids))
    if any(option_id not in options for option_id in chosen):
        raise ValidationError(_("Choose one of the options shown."))
    other_text = given.other_text.strip() if question.allows_other else ""
    other = next((o for o in options.values() if o.is_other), None)
    if other_text and other is not None and other.pk not in chosen:
        if question.kind == Question.Kind.MULTIPLE or not chosen:
            # Typing a description means choosing "other"; nothing typed is lost.
            chosen.append(other.pk)
        else:
            raise ValidationError(
                _("Choose '%(other)s' to describe another answer.") % {"other": other.label}
            )
    if question.kind == Question.Kind.SINGLE and len(chosen) > 1:
        raise ValidationError(_("Choose one option."))
    return AnswerInput(option_ids=chosen, other_text=other_text)


def _save_answers(intake: Intake, answers: Mapping[int, AnswerInput]) -> None:
    questions = {q.number: q for q in selectors.questions_with_options(intake.questionnaire)}
    existing = {a.question_id: a for a in intake.answers.all()}
    errors: dict[str, list[str]] = {}
    cleaned: dict[Question, AnswerInput] = {}
    for number, given in answers.items():
        question = questions.get(number)
        if question is None:
            errors.setdefault("__all__", []).append(
                _("Question %(number)s is not part of this questionnaire.") % {"number": number}
            )
            continue
        try:
            cleaned[question] = _clean_answer(
                question, given, {o.pk: o for o in question.options.all()}
            )
        except ValidationError as error:
            errors[f"q{number}"] = error.messages
    if errors:
        raise ValidationError(errors)
    for question, answer_input in cleaned.items():
        answer = existing.get(question.pk)
        if answer_input.is_empty:
            if answer is not None:
                answer.delete()
            continue
        if answer is None:
            answer = Answer(intake=intake, question=question)
        answer.scale_value = answer_input.scale_value
        answer.text = answer_input.text
        answer.other_text = answer_input.other_text
        answer.save()
        if question.has_options:
            answer.options.set(answer_input.option_ids)
    # Touch the intake so its history and `updated_at` show when the answers last changed.
    intake.save(update_fields=["updated_at"])


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


# --- Initiator links -----------------------------------------------------------------------------


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


# --- Questionnaire versions ----------------------------------------------------------------------


def check_questionnaire_editable(questionnaire: Questionnaire) -> None:
    """Refuse changes to a published version that intakes were filled in with."""
    if selectors.questionnaire_is_locked(questionnaire):
        raise ValidationError(
            _(
                "Version %(version)s is published and intakes use it, so it cannot be changed. "
                "Copy it as a new draft version instead."
            )
            % {"version": questionnaire.version},
            code="locked",
        )


@service("intake.manage_questionnaire", system=True)
def copy_questionnaire(*, questionnaire: Questionnaire, actor: User | None) -> Questionnaire:
    """Copy a version with all its questions and options as a new draft version."""
    next_version = (Questionnaire.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    copy = Questionnaire.objects.create(
        version=next_version,
        title=questionnaire.title,
        notes=_("Copy of version %(version)s.") % {"version": questionnaire.version},
    )
    questions = list(selectors.questions_with_options(questionnaire))
    new_questions = Question.objects.bulk_create(
        [
            Question(
                questionnaire=copy,
                **{
                    f.attname: getattr(q, f.attname)
                    for f in Question._meta.concrete_fields
                    if f.attname not in ("id", "questionnaire_id")
                },
            )
            for q in questions
        ]
    )
    Option.objects.bulk_create(
        [
            Option(
                question=new_question,
                position=o.position,
                code=o.code,
                label_nl=o.label_nl,
                label_en=o.label_en,
            )
            for old_question, new_question in zip(questions, new_questions, strict=True)
            for o in old_question.options.all()
        ]
    )
    return copy


@service("intake.manage_questionnaire", system=True)
def publish_questionnaire(*, questionnaire: Questionnaire, actor: User | None) -> Questionnaire:
    """Publish a draft version: from now on new intakes use it."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.is_published:
        raise ValidationError(
            _("Version %(version)s is already published.") % {"version": questionnaire.version},
            code="published",
        )
    questions = list(selectors.questions_with_options(questionnaire))
    if not questions:
        raise ValidationError(_("A version without questions cannot be published."), code="empty")
    without_options = [q.number for q in questions if q.has_options and not q.options.all()]
    if without_options:
        raise ValidationError(
            _("Give these choice questions options first: %(numbers)s.")
            % {"numbers": ", ".join(str(n) for n in without_options)},
            code="no_options",
        )
    questionnaire.published_at = timezone.now()
    questionnaire.save(update_fields=["published_at"])
    return questionnaire
