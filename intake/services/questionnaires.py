"""Questionnaire versions: a published version is frozen; a change is a new draft copy."""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service

from .. import selectors
from ..models import Option, Question, Questionnaire


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
