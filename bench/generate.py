"""A large, plausible register for the benchmarks: initiatives, classifications, intakes, answers.

Everything is written with bulk_create, in batches, so 10,000 initiatives and 30,000 intakes
(with an answer to every scale question and to the support-needs question) take well under a
minute on SQLite. The data is random but seeded, so two runs build the same data set.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

BATCH = 2_000


@transaction.atomic
def populate(*, initiatives: int, intakes: int, seed: int = 2026) -> dict:
    """Make the register's benchmark data: areas, classifications, initiatives and intakes.

    Long because it is one data recipe read top to bottom (what is made, how many, in which
    order); split, the counts and the seeds would be scattered over helpers.
    """
    from accounts.models import Area, Role, User
    from initiatives.classifications import InitiatorType, OrganisationForm, Phase
    from initiatives.models import Classification, Initiative
    from intake.models import Answer, Intake, Question, Questionnaire

    rng = random.Random(seed)
    civil_servant, _ = User.objects.get_or_create(username="bench-ambtenaar")
    civil_servant.groups.add(Group.objects.get(name=Role.CIVIL_SERVANT.value))
    district, _ = Area.objects.get_or_create(
        slug="bench-zuidoost", defaults={"name": "Bench Zuidoost", "kind": "stadsdeel"}
    )
    areas = [
        Area.objects.get_or_create(
            slug=f"bench-wijk-{i}", defaults={"name": f"Bench wijk {i}", "parent": district}
        )[0]
        for i in range(20)
    ]
    words = [
        "buurt",
        "tuin",
        "keuken",
        "huis",
        "markt",
        "café",
        "zorg",
        "jongeren",
        "ouderen",
        "werk",
        "taal",
        "sport",
        "muziek",
    ]
    Initiative.objects.bulk_create(
        (
            Initiative(
                name=f"{rng.choice(words).capitalize()} {rng.choice(words)} {i:05}",
                slug=f"bench-{i}",
                summary=f"Een initiatief voor {rng.choice(words)} en {rng.choice(words)}.",
                description=" ".join(rng.choice(words) for _ in range(40)),
                area=rng.choice(areas),
                initiator_type=rng.choice(InitiatorType.values),
                organisation_form=rng.choice(OrganisationForm.values),
                phase=rng.choice(Phase.values),
                status=rng.choice(Initiative.Status.values),
            )
            for i in range(initiatives)
        ),
        batch_size=BATCH,
    )
    initiative_ids = list(
        Initiative.objects.filter(slug__startswith="bench-").values_list("pk", flat=True)
    )
    classes = list(Classification.objects.values_list("pk", flat=True))
    through = Initiative.classifications.through
    through.objects.bulk_create(
        (
            through(initiative_id=pk, classification_id=cls)
            for pk in initiative_ids
            for cls in rng.sample(classes, 4)
        ),
        batch_size=BATCH,
    )

    questionnaire = (
        Questionnaire.objects.filter(published_at__isnull=False).order_by("-version").first()
    )
    scales = list(questionnaire.questions.filter(kind=Question.Kind.SCALE))
    support = questionnaire.questions.get(key=Question.SUPPORT_NEEDS)
    support_options = list(support.options.values_list("pk", flat=True))
    start = date(2020, 1, 1)

    def confirmed_intake(i: int) -> Intake:
        day = start + timedelta(days=rng.randrange(2000))
        return Intake(
            initiative_id=initiative_ids[i % len(initiative_ids)],
            questionnaire=questionnaire,
            date=day,
            status=Intake.Status.CONFIRMED,
            conducted_by=civil_servant,
            confirmed_by=civil_servant,
            # A confirmed intake must have its moment (constraint intake_confirmed_has_moment).
            confirmed_at=datetime.combine(day, time(16, 0), tzinfo=UTC),
            composite=Decimal(rng.randrange(10, 100)) / 10,
        )

    Intake.objects.bulk_create(
        (confirmed_intake(i) for i in range(intakes)),
        batch_size=BATCH,
    )
    intake_ids = list(
        Intake.objects.filter(initiative_id__in=initiative_ids).values_list("pk", flat=True)
    )
    Answer.objects.bulk_create(
        (
            Answer(intake_id=intake_id, question=question, scale_value=rng.randint(1, 10))
            for intake_id in intake_ids
            for question in scales
        ),
        batch_size=BATCH,
    )
    Answer.objects.bulk_create(
        (Answer(intake_id=intake_id, question=support) for intake_id in intake_ids),
        batch_size=BATCH,
    )
    answer_ids = Answer.objects.filter(question=support, intake_id__in=intake_ids).values_list(
        "pk", flat=True
    )
    chosen = Answer.options.through
    chosen.objects.bulk_create(
        (
            chosen(answer_id=answer_id, option_id=option)
            for answer_id in answer_ids
            for option in rng.sample(support_options, 2)
        ),
        batch_size=BATCH,
    )
    leefgebied = Classification.objects.get(scheme="leefgebied", code="werk")
    startsubsidie = (
        support.options.get(code="startsubsidie")
        if support.options.filter(code="startsubsidie").exists()
        else support.options.first()
    )
    return {
        "civil_servant": civil_servant,
        "slug": "bench-42",
        "register_filter": {"q": "tuin", "leefgebied": leefgebied.pk, "phase": Phase.START_UP},
        "overview_filter": {"support_need": startsubsidie.code, "phase": Phase.START_UP},
        "initiatives": len(initiative_ids),
        "intakes": len(intake_ids),
    }
