"""The demo scenario's intakes: one or two confirmed intakes, a year apart, per demo initiative.

Runs after initiatives/demo.py; initiatives that do not exist are skipped. Idempotent: an
intake of an initiative on a date that already has one is not made again.
"""

from datetime import date

from initiatives.models import Initiative

from . import selectors, services
from .models import Intake, Question

SCALES = [7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 24]

# slug: (choice answers by question number (option codes, or (codes, "other, namely")),
#        [(date, scale values in the order of SCALES, support needs (question 16))], publish?)
PLANS = {
    "community-home-24-7": (
        {
            1: (["sociale_cohesie", "zelfhulp", "other"], "Opvang voor systeemgedupeerden"),
            2: "11-30",
            3: "2-5",
            4: "100-500",
            5: "bewoners",
            6: "allen",
            19: "opstart",
            20: ["fondsen", "gemeente"],
            21: "stichting",
            22: "50-250k",
            23: "250k-1m",
        },
        [
            (date(2024, 4, 16), [7, 2, 8, 6, 5, 7, 7, 6, 8, 8, 7, 4], ["startsubsidie", "kennis"]),
            (
                date(2025, 4, 15),
                [8, 2, 9, 7, 6, 8, 8, 7, 9, 7, 6, 6],
                ["structurele_steun", "zeggenschap", "publiciteit"],
            ),
        ],
        True,
    ),
    "socialization-plus-expertisenetwerk": (
        {
            1: ["faciliteren", "maatjes", "consultatie"],
            2: "31-100",
            3: "6-15",
            4: "100-500",
            5: "sociaal_ondernemer",
            6: "allen",
            19: "opstart",
            20: ["fondsen", "bedrijven"],
            21: "stichting",
            22: "50-250k",
            23: "250k-1m",
        },
        [
            (date(2024, 10, 8), [8, 3, 8, 7, 6, 9, 8, 8, 7, 6, 5, 5], ["netwerken", "zeggenschap"]),
            (date(2025, 10, 7), [9, 3, 9, 8, 7, 9, 9, 8, 8, 5, 5, 7], ["zeggenschap", "scholing"]),
        ],
        False,
    ),
    "leer-werkplekken-ontwikkelhub": (
        {
            1: (["dagbesteding", "jongeren_netwerken", "other"], "Leer-werkplekken (BBL)"),
            2: "3-10",
            3: "2-5",
            4: "5-25",
            5: "middenveld",
            6: "jongeren",
            19: "ideevorming",
            20: ["bedrijven", "gemeente"],
            21: "stichting",
            22: "0-10k",
            23: "50-250k",
        },
        [
            (
                date(2025, 6, 3),
                [6, 4, 8, 8, 7, 8, 7, 6, 7, 9, 6, 5],
                ["startsubsidie", "vergunning", "netwerken"],
            )
        ],
        False,
    ),
    "jongerenraad-zuidoost": (
        {
            1: ["jongeren_netwerken"],
            2: "11-30",
            3: "0-1",
            4: "25-100",
            5: "bewoners",
            6: "jongeren",
            19: "ideevorming",
            20: ["gemeente"],
            21: "geen_rechtspersoon",
            22: "0-10k",
            23: "10-50k",
        },
        [
            (
                date(2025, 5, 20),
                [7, 1, 7, 8, 8, 5, 7, 6, 6, 9, 8, 6],
                ["zeggenschap", "scholing", "rugdekking"],
            )
        ],
        False,
    ),
    "burenmarkt-gaasperdam": (
        {
            1: ["ruilnetwerken", "sociale_cohesie"],
            2: "31-100",
            3: "2-5",
            4: "500-plus",
            5: "sociaal_ondernemer",
            6: "allen",
            19: "rijping",
            20: ["gemeente", "fondsen", "leden"],
            21: "stichting",
            22: "250k-1m",
            23: "250k-1m",
        },
        [
            (date(2024, 2, 13), [8, 3, 8, 8, 6, 8, 7, 8, 8, 6, 7, 7], ["structurele_steun"]),
            (
                date(2025, 2, 11),
                [9, 3, 8, 8, 6, 8, 8, 7, 9, 4, 7, 8],
                ["structurele_steun", "publiciteit"],
            ),
        ],
        False,
    ),
    "huishoudcoaches-bijlmer-oost": (
        {
            1: ["probleemgezinnen", "maatjes"],
            2: "31-100",
            3: "2-5",
            4: "100-500",
            5: "middenveld",
            6: "middengroepen",
            19: "continuiteit",
            20: ["gemeente", "fondsen"],
            21: "vereniging",
            22: "50-250k",
            23: "50-250k",
        },
        [
            (
                date(2025, 1, 28),
                [8, 2, 9, 9, 5, 6, 7, 5, 9, 5, 7, 8],
                ["structurele_steun", "scholing"],
            )
        ],
        False,
    ),
    "gaasperdam-zorgt": (
        {
            1: ["zorg_ouderen", "mantelzorg", "sociale_cohesie"],
            2: "31-100",
            3: "2-5",
            4: "25-100",
            5: "bewoners",
            6: "ouderen",
            19: "continuiteit",
            20: ["leden", "fondsen", "gemeente"],
            21: "vereniging",
            22: "50-250k",
            23: "50-250k",
        },
        [
            (date(2024, 9, 17), [9, 2, 8, 7, 4, 7, 6, 6, 8, 3, 4, 5], ["beleid_regels"]),
            (
                date(2025, 9, 16),
                [9, 2, 8, 8, 4, 7, 6, 7, 8, 3, 5, 6],
                ["beleid_regels", "rugdekking"],
            ),
        ],
        False,
    ),
    "thomashuis-bijlmer": (
        {
            1: (["dagbesteding", "other"], "Wonen voor mensen met een verstandelijke beperking"),
            2: "100-plus",
            3: "30-plus",
            4: "500-plus",
            5: "sociaal_ondernemer",
            6: "allen",
            19: "gevestigd",
            20: ["leden", "other"],
            21: "onderneming",
            22: "1m-plus",
            23: "1m-plus",
        },
        [
            (
                date(2025, 3, 11),
                [9, 6, 7, 6, 3, 6, 8, 6, 8, 2, 2, 3],
                ["vergunning", "beleid_regels"],
            )
        ],
        False,
    ),
}


def _inputs(questions: dict[int, Question], choices: dict, scales: list[int], needs: list[str]):
    answers = {}
    for number, value in zip(SCALES, scales, strict=True):
        answers[number] = services.AnswerInput(scale_value=value)
    for number, spec in {**choices, 16: needs}.items():
        codes, other = (spec, "") if not isinstance(spec, tuple) else spec
        codes = [codes] if isinstance(codes, str) else codes
        question = questions[number]
        answers[number] = services.AnswerInput(
            option_ids=[o.pk for o in question.options.all() if o.code in codes],
            other_text=other,
        )
    return answers


def seed(log) -> None:
    questionnaire = selectors.newest_published_questionnaire()
    if questionnaire is None:
        log("intakes: no published questionnaire, skipped")
        return
    questions = {q.number: q for q in selectors.questions_with_options(questionnaire)}
    initiatives = Initiative.objects.in_bulk(PLANS.keys(), field_name="slug")
    for slug, (choices, intakes, publish) in PLANS.items():
        initiative = initiatives.get(slug)
        if initiative is None:
            log(f"intakes of {slug}: initiative missing, skipped")
            continue
        for when, scales, needs in intakes:
            if Intake.objects.filter(initiative=initiative, date=when).exists():
                log(f"intake {initiative} {when}: exists")
                continue
            intake = services.start_intake(initiative=initiative, actor=None, date=when)
            services.save_answers(
                intake=intake,
                answers=_inputs(questions, choices, scales, needs),
                actor=None,
            )
            intake = services.confirm_intake(intake=intake, actor=None)
            if publish and when == intakes[-1][0]:
                services.set_profile_published(intake=intake, published=True, actor=None)
            log(f"intake {initiative} {when}: created (composite {intake.composite})")
