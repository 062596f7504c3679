import xml.etree.ElementTree as ET
from datetime import date

import factory

from initiatives.classifications import InitiatorType, OrganisationForm, Phase
from initiatives.models import Initiative
from intake import services
from intake.models import Intake, Questionnaire
from tests.accounts.factories import AreaFactory


def version_1() -> Questionnaire:
    return Questionnaire.objects.get(version=1)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Buurtinitiatief {n}")
    slug = factory.Sequence(lambda n: f"buurtinitiatief-{n}")
    summary = "Buren helpen buren."
    area = factory.SubFactory(AreaFactory)
    initiator_type = InitiatorType.RESIDENTS
    organisation_form = OrganisationForm.FOUNDATION
    phase = Phase.START_UP


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    initiative = factory.SubFactory(InitiativeFactory)
    questionnaire = factory.LazyFunction(version_1)
    date = date(2025, 3, 1)


def option_ids(questionnaire: Questionnaire, number: int, *codes: str) -> list[int]:
    question = questionnaire.questions.get(number=number)
    ids = dict(question.options.values_list("code", "pk"))
    return [ids[code] for code in codes]


def scale_answers(values: dict[int, int]) -> dict[int, services.AnswerInput]:
    return {number: services.AnswerInput(scale_value=value) for number, value in values.items()}


def confirmed_intake(
    *,
    initiative=None,
    values: dict[int, int] | None = None,
    needs: tuple[str, ...] = (),
    on: date = date(2025, 3, 1),
    actor=None,
    published: bool = False,
) -> Intake:
    """An intake filled in and confirmed through the services, as a civil servant would."""
    initiative = initiative or InitiativeFactory()
    intake = services.start_intake(initiative=initiative, actor=actor, date=on)
    answers = scale_answers(values if values is not None else {7: 8, 9: 6})
    if needs:
        answers[16] = services.AnswerInput(option_ids=option_ids(intake.questionnaire, 16, *needs))
    services.save_answers(intake=intake, answers=answers, actor=actor)
    intake = services.confirm_intake(intake=intake, actor=actor)
    if published:
        intake = services.set_profile_published(intake=intake, published=True, actor=actor)
    return intake


SCALE_NUMBERS = (7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 24)
COUNTING = (7, 9, 10, 12, 13, 14, 15)


SVG = "{http://www.w3.org/2000/svg}"


def svg_root(html: str) -> ET.Element:
    """The first <svg> in a page, parsed: it must be well-formed XML. Our own output, trusted."""
    start = html.index("<svg")
    return ET.fromstring(html[start : html.index("</svg>", start) + 6])  # noqa: S314
