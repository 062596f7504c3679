"""Answers as a form or a link gives them, checked against their question and saved (shared by
the staff's and the initiator's way in)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import selectors
from ..models import SCALE_MAX, SCALE_MIN, Answer, Intake, Option, Question


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
