"""Reads for intake pages, each with a fixed number of queries whatever the amount of data."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import Area
from initiatives.models import Initiative

from . import scoring
from .models import Answer, Intake, IntakeLink, Option, Question, Questionnaire, hash_token

DEFAULT_SORT = "naam"
SORTS = {
    "naam": (F("name").asc(),),
    "-score": (F("latest_composite").desc(nulls_last=True), F("name").asc()),
    "score": (F("latest_composite").asc(nulls_last=True), F("name").asc()),
    "datum": (F("latest_intake_date").desc(nulls_last=True), F("name").asc()),
}


# --- Questionnaires ------------------------------------------------------------------------------


def newest_published_questionnaire() -> Questionnaire | None:
    """The version new intakes use: the published one with the highest version number."""
    return Questionnaire.objects.filter(published_at__isnull=False).order_by("-version").first()


def questions_with_options(questionnaire: Questionnaire) -> QuerySet[Question]:
    """A version's questions in order, with their options (two queries)."""
    return questionnaire.questions.order_by("number").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position", "pk"))
    )


def questionnaire_is_locked(questionnaire: Questionnaire) -> bool:
    """A published version that intakes were filled in with cannot change any more."""
    return bool(
        questionnaire.pk
        and questionnaire.published_at is not None
        and Intake.objects.filter(questionnaire_id=questionnaire.pk).exists()
    )


def composite_weights(questionnaire: Questionnaire) -> dict[int, Decimal]:
    """{question number: weight} of the questions that count toward the composite score."""
    return dict(
        questionnaire.questions.filter(
            counts_toward_composite=True, kind=Question.Kind.SCALE
        ).values_list("number", "weight")
    )


def support_need_options() -> list[Option]:
    """The support-need options of the newest published version, for the overview's filter."""
    questionnaire = newest_published_questionnaire()
    if questionnaire is None:
        return []
    return list(
        Option.objects.filter(
            question__questionnaire=questionnaire, question__key=Question.SUPPORT_NEEDS
        ).order_by("position")
    )


# --- One intake ----------------------------------------------------------------------------------


def intake_detail(pk: int) -> Intake:
    """An intake with its initiative, area, version and the people involved (one query)."""
    return Intake.objects.select_related(
        "initiative__area", "questionnaire", "conducted_by", "confirmed_by"
    ).get(pk=pk)


def link_by_token(token: str) -> IntakeLink | None:
    """The link with this token, or None; only the token's hash is stored."""
    if not token or len(token) > 100:
        return None
    return (
        IntakeLink.objects.select_related(
            "intake__initiative", "intake__questionnaire", "created_by"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )


def answers_by_question(intake: Intake) -> dict[int, Answer]:
    """{question id: answer} with the chosen options (two queries)."""
    answers = intake.answers.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position"))
    )
    return {answer.question_id: answer for answer in answers}


def scale_profile(intake: Intake) -> dict[int, int]:
    """The intake's profile: {question number: value} of its answered scale questions."""
    return scoring.profile(
        Answer.objects.filter(intake=intake, question__kind=Question.Kind.SCALE).values_list(
            "question__number", "scale_value"
        )
    )


def intakes_of(initiative: Initiative) -> QuerySet[Intake]:
    """All intakes of an initiative, newest first, with their version."""
    return initiative.intakes.select_related("questionnaire").order_by("-date", "-pk")


def previous_intake(intake: Intake) -> Intake | None:
    """The confirmed intake of the same initiative just before this one."""
    return (
        Intake.objects.filter(initiative_id=intake.initiative_id, status=Intake.Status.CONFIRMED)
        .exclude(pk=intake.pk)
        .filter(Q(date__lt=intake.date) | Q(date=intake.date, pk__lt=intake.pk))
        .order_by("-date", "-pk")
        .first()
    )


def _latest_confirmed(outer: str) -> QuerySet[Intake]:
    return Intake.objects.filter(
        initiative_id=OuterRef(outer), status=Intake.Status.CONFIRMED
    ).order_by("-date", "-pk")


def latest_confirmed_intakes() -> QuerySet[Intake]:
    """Each initiative's latest confirmed intake."""
    return Intake.objects.filter(
        status=Intake.Status.CONFIRMED,
        pk=Subquery(_latest_confirmed("initiative_id").values("pk")[:1]),
    )


def median_of_latest_profiles() -> dict[int, Decimal]:
    """Per scale question number, the median over all initiatives' latest confirmed intakes."""
    rows = Answer.objects.filter(
        intake__in=latest_confirmed_intakes(),
        question__kind=Question.Kind.SCALE,
        scale_value__isnull=False,
    ).values_list("intake_id", "question__number", "scale_value")
    profiles: dict[int, dict[int, int]] = defaultdict(dict)
    for intake_id, number, value in rows:
        profiles[intake_id][number] = value
    return scoring.median_profile(profiles.values())


@dataclass
class IntakeProfile:
    """What the profile pictures need: the scale questions and the values to compare."""

    intake: Intake
    questions: list[Question]
    current: dict[int, int]
    previous_intake: Intake | None = None
    previous: dict[int, int] | None = None
    median: dict[int, Decimal] | None = None
    rows: list[tuple[Question, scoring.Difference]] = field(default_factory=list)


def intake_profile(
    intake: Intake,
    *,
    compare: bool = True,
    questions: Iterable[Question] | None = None,
    answers: dict[int, Answer] | None = None,
) -> IntakeProfile:
    """The profile of an intake; with `compare`, also the previous intake and the median.

    Questions of another version are matched by number. A page that has read the version's
    questions and the intake's answers already passes them (`questions_with_options`,
    `answers_by_question`), so they are not read twice.
    """
    if questions is None:
        questions = intake.questionnaire.questions.order_by("number")
    questions = [question for question in questions if question.kind == Question.Kind.SCALE]
    if answers is None:
        current = scale_profile(intake)
    else:
        current = scoring.profile(
            (question.number, answers[question.pk].scale_value)
            for question in questions
            if question.pk in answers
        )
    result = IntakeProfile(intake=intake, questions=questions, current=current)
    if compare:
        result.previous_intake = previous_intake(intake)
        if result.previous_intake is not None:
            result.previous = scale_profile(result.previous_intake)
        result.median = median_of_latest_profiles()
    differences = scoring.differences(
        [q.number for q in questions], current, result.previous, result.median
    )
    result.rows = list(zip(questions, differences, strict=True))
    return result


def latest_published_intake(initiative: Initiative) -> Intake | None:
    """The initiative's newest published intake, with its version (one query)."""
    return (
        Intake.objects.select_related("questionnaire", "initiative")
        .filter(initiative=initiative, is_published=True, status=Intake.Status.CONFIRMED)
        .order_by("-date", "-pk")
        .first()
    )


# --- The overview --------------------------------------------------------------------------------


def overview(
    *,
    support_need: str = "",
    phase: str = "",
    area: Area | None = None,
    sort: str = "naam",
) -> QuerySet[Initiative]:
    """Initiatives with their latest confirmed intake's date and composite, and an open intake.

    The values come from correlated subqueries, so a page is one query whatever its length.
    """
    latest = _latest_confirmed("pk")
    still_open = (
        Intake.objects.filter(initiative_id=OuterRef("pk"))
        .exclude(status=Intake.Status.CONFIRMED)
        .order_by("-date", "-pk")
    )
    qs = Initiative.objects.select_related("area").annotate(
        latest_intake_id=Subquery(latest.values("pk")[:1]),
        latest_intake_date=Subquery(latest.values("date")[:1]),
        # SQLite hands a subquery's decimal back as a float without an explicit field.
        latest_composite=Subquery(
            latest.values("composite")[:1],
            output_field=DecimalField(max_digits=3, decimal_places=1),
        ),
        open_intake_id=Subquery(still_open.values("pk")[:1]),
        open_intake_status=Subquery(still_open.values("status")[:1]),
    )
    qs = with_support_need(qs, support_need)
    if phase:
        qs = qs.filter(phase=phase)
    return sorted_overview(in_area(qs, area), sort)


def with_support_need(qs: QuerySet[Initiative], code: str) -> QuerySet[Initiative]:
    """The overview's initiatives whose latest confirmed intake chose support need `code`."""
    if not code:
        return qs
    with_need = Answer.objects.filter(
        question__key=Question.SUPPORT_NEEDS, options__code=code
    ).values("intake_id")
    return qs.filter(latest_intake_id__in=with_need)


def in_area(qs: QuerySet[Initiative], area: Area | None) -> QuerySet[Initiative]:
    """The initiatives in `area` or in one of its parts."""
    if area is None:
        return qs
    return qs.filter(Q(area=area) | Q(area__parent=area))


def sorted_overview(qs: QuerySet[Initiative], sort: str) -> QuerySet[Initiative]:
    """The overview in one of the SORTS orders; an unknown one sorts by name."""
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


@dataclass
class SupportNeeds:
    labels: list[str] = field(default_factory=list)
    other: str = ""


def support_needs(intake_ids: Iterable[int | None]) -> dict[int, SupportNeeds]:
    """{intake id: the support needs chosen in it} for the given intakes (one query)."""
    ids = [pk for pk in intake_ids if pk is not None]
    if not ids:
        return {}
    chosen = (
        Answer.options.through.objects.filter(
            answer__intake_id__in=ids, answer__question__key=Question.SUPPORT_NEEDS
        )
        .select_related("answer", "option")
        .order_by("answer__intake_id", "option__position")
    )
    needs: dict[int, SupportNeeds] = defaultdict(SupportNeeds)
    for row in chosen:
        need = needs[row.answer.intake_id]
        need.labels.append(row.option.label)
        if row.option.is_other:
            need.other = row.answer.other_text
    return dict(needs)
