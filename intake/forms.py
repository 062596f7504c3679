from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SCALE_MAX, SCALE_MIN, Answer, Intake, Question
from .services import AnswerInput


def field_name(question: Question) -> str:
    return f"q{question.number}"


def other_field_name(question: Question) -> str:
    return f"q{question.number}_other"


class IntakeAnswersForm(forms.Form):
    """One field per question of the intake's version (plus "other, namely" where allowed).

    Every field is optional: a draft may be saved half-way. Scale and single-choice questions
    offer "no answer" so that a choice can be taken back.
    """

    def __init__(self, *args, questions: list[Question], answers: dict[int, Answer], **kwargs):
        self.questions = questions
        kwargs.setdefault("initial", self._initial(questions, answers))
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[field_name(question)] = self._field_for(question)
            if question.allows_other:
                self.fields[other_field_name(question)] = forms.CharField(
                    label=_("Other, namely"),
                    required=False,
                    max_length=300,
                    widget=forms.TextInput(),
                )

    @staticmethod
    def _initial(questions, answers) -> dict:
        initial = {}
        for question in questions:
            answer = answers.get(question.pk)
            if answer is None:
                continue
            name = field_name(question)
            if question.kind == Question.Kind.SCALE:
                initial[name] = answer.scale_value
            elif question.kind == Question.Kind.TEXT:
                initial[name] = answer.text
            elif question.kind == Question.Kind.SINGLE:
                chosen = [o.pk for o in answer.options.all()]
                initial[name] = chosen[0] if chosen else None
            else:
                initial[name] = [o.pk for o in answer.options.all()]
            if question.allows_other:
                initial[other_field_name(question)] = answer.other_text
        return initial

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        label = f"{question.number}. {question.text}"
        no_answer = ("", _("No answer"))
        if question.kind == Question.Kind.SCALE:
            return forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(n, str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)] + [no_answer],
                widget=forms.RadioSelect,
            )
        if question.kind == Question.Kind.SINGLE:
            return forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(o.pk, o.label) for o in question.options.all()] + [no_answer],
                widget=forms.RadioSelect,
            )
        if question.kind == Question.Kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                label=label,
                required=False,
                coerce=int,
                choices=[(o.pk, o.label) for o in question.options.all()],
                widget=forms.CheckboxSelectMultiple,
            )
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def rows(self):
        """(question, its field, its "other" field or None) for the template."""
        for question in self.questions:
            other = self[other_field_name(question)] if question.allows_other else None
            yield question, self[field_name(question)], other

    def answer_inputs(self) -> dict[int, AnswerInput]:
        """The cleaned data as the services take it: {question number: AnswerInput}."""
        inputs = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            other = self.cleaned_data.get(other_field_name(question), "") or ""
            if question.kind == Question.Kind.SCALE:
                inputs[question.number] = AnswerInput(scale_value=value)
            elif question.kind == Question.Kind.TEXT:
                inputs[question.number] = AnswerInput(text=value or "")
            elif question.kind == Question.Kind.SINGLE:
                inputs[question.number] = AnswerInput(
                    option_ids=[value] if value is not None else [], other_text=other
                )
            else:
                inputs[question.number] = AnswerInput(
                    option_ids=list(value or []), other_text=other
                )
        return inputs


class StartIntakeForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How is the intake filled in?"),
        choices=[
            (Intake.Method.CONVERSATION, _("Now, in a conversation with the initiator")),
            (Intake.Method.LINK, _("By the initiator: make a link to send")),
        ],
        initial=Intake.Method.CONVERSATION,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("E-mail address of the initiator (optional)"),
        required=False,
        help_text=_(
            "We send the link to this address, with the date until which it works. "
            "Empty: the initiative's contact address, or you pass the link on yourself."
        ),
    )
