"""Version 1 of the questionnaire: the VNG "Intakelijst burgerinitiatieven" (seed 001 §1.3).

The Dutch texts are the product's own words, copied exactly from DOMAIN.md §1; the data lives in
this migration (not imported from code) so that later code changes never alter version 1.
"""

from django.db import migrations
from django.utils import timezone

MULTI, SINGLE, SCALE = "multi", "single", "scale"
NO_YES = ("Nee", "No", "Ja", "Yes")

TURNOVER = [
    ("0-10k", "0-10 k€", "€0-10k"),
    ("10-50k", "10-50 k€", "€10-50k"),
    ("50-250k", "50-250 k€", "€50-250k"),
    ("250k-1m", "250 k€-1 mln.", "€250k-1m"),
    ("1m-plus", "1 mln.+", "€1m+"),
]

# number, key, kind, text_nl, text_en, allows_other, options [(code, nl, en)] or
# scale (poles (low nl, low en, high nl, high en), short label nl, short label en, descriptive,
# counts toward the composite).
QUESTIONS = [
    (
        1,
        "essence",
        MULTI,
        "Essentie van het initiatief (meerdere opties mogelijk)",
        "Essence of the initiative (several options possible)",
        True,
        [
            ("zorg_ouderen", "Zorg bieden aan ouderen", "Providing care for older people"),
            (
                "dagbesteding",
                "Dagbesteding voor mensen zonder betaald werk",
                "Day activities for people without paid work",
            ),
            (
                "sociale_cohesie",
                "Sociale cohesie in de wijk vergroten",
                "Increasing social cohesion in the neighbourhood",
            ),
            ("maatjes", "Maatjes-projecten, mentor, koppelen duo's", "Buddy projects, mentoring, pairing duos"),
            (
                "ruilnetwerken",
                "Ruilnetwerken, uitwisseling, makelen vraag en aanbod",
                "Exchange networks, swapping, matching supply and demand",
            ),
            ("consultatie", "Consultatie / patiëntenparticipatie", "Consultation / patient participation"),
            ("zelfhulp", "Zelfhulpgroepen, lotgenoten", "Self-help groups, peers"),
            ("mantelzorg", "Ondersteuning mantelzorg", "Support for informal carers"),
            ("jeugdzorg", "Jeugdzorg", "Youth care"),
            ("jongeren_netwerken", "Jongeren netwerken", "Youth networks"),
            ("probleemgezinnen", "Probleemgezinnen, eigen kracht", "Problem families, own strength"),
            (
                "faciliteren",
                "Faciliteren en steunen initiatieven",
                "Facilitating and supporting initiatives",
            ),
            ("other", "Andere", "Other"),
        ],
    ),
    (
        2,
        "volunteers",
        SINGLE,
        "Aantal vrijwilligers?",
        "Number of volunteers?",
        False,
        [
            ("0-2", "0-2", "0-2"),
            ("3-10", "3-10", "3-10"),
            ("11-30", "11-30", "11-30"),
            ("31-100", "31-100", "31-100"),
            ("100-plus", "100+", "100+"),
        ],
    ),
    (
        3,
        "professionals",
        SINGLE,
        "Aantal professionals?",
        "Number of professionals?",
        False,
        [
            ("0-1", "0-1", "0-1"),
            ("2-5", "2-5", "2-5"),
            ("6-15", "6-15", "6-15"),
            ("16-30", "16-30", "16-30"),
            ("30-plus", "30+", "30+"),
        ],
    ),
    (
        4,
        "people_helped",
        SINGLE,
        "Aantal personen uit doelgroep geholpen in afgelopen jaar?",
        "Number of people from the target group helped in the past year?",
        False,
        [
            ("0-5", "0-5", "0-5"),
            ("5-25", "5-25", "5-25"),
            ("25-100", "25-100", "25-100"),
            ("100-500", "100-500", "100-500"),
            ("500-plus", "500+", "500+"),
        ],
    ),
    (
        5,
        "initiator",
        SINGLE,
        "Initiatiefnemer?",
        "Initiator?",
        True,
        [
            ("bewoners", "Bewoner(s)", "Resident(s)"),
            ("sociaal_ondernemer", "Sociaal ondernemer", "Social entrepreneur"),
            ("middenveld", "Middenveld", "Civil society"),
            ("overheid", "Overheid", "Government"),
            ("other", "Anders", "Other"),
        ],
    ),
    (
        6,
        "focus",
        SINGLE,
        "Aard en focus betrokkenheid",
        "Nature and focus of involvement",
        False,
        [
            ("jongeren", "Jongeren", "Young people"),
            ("middengroepen", "Middengroepen", "Middle groups"),
            ("ouderen", "Ouderen", "Older people"),
            ("allen", "Allen", "Everyone"),
        ],
    ),
    (
        7,
        "commitment",
        SCALE,
        "Is de initiatiefnemer gecommitteerd en in staat om het initiatief te realiseren?",
        "Is the initiator committed to and capable of realising the initiative?",
        False,
        (NO_YES, "Gecommitteerd", "Commitment", False, True),
    ),
    (
        8,
        "motivation",
        SCALE,
        "Aard initiatief, motivatie, hulp versus ruil, altruïsme, of ook geld verdienen?",
        "Nature of the initiative, motivation: help versus exchange, altruism, or also earning money?",
        False,
        (
            ("Louter altruïsme", "Pure altruism", "Louter geld verdienen", "Purely earning money"),
            "Motivatie",
            "Motivation",
            True,
            False,
        ),
    ),
    (
        9,
        "societal_goals",
        SCALE,
        "Draagt het idee bij aan maatschappelijke doelen?",
        "Does the idea contribute to societal goals?",
        False,
        (NO_YES, "Maatschappelijke doelen", "Societal goals", False, True),
    ),
    (
        10,
        "municipal_goals",
        SCALE,
        "Draagt het idee bij aan doelstellingen van de gemeente?",
        "Does the idea contribute to the municipality's objectives?",
        False,
        (NO_YES, "Doelen gemeente", "Municipal goals", False, True),
    ),
    (
        11,
        "political_gain",
        SCALE,
        "Is het mogelijk om politiek te 'scoren' met het initiatief?",
        "Is it possible to 'score' politically with the initiative?",
        False,
        (NO_YES, "Politiek scoren", "Political gain", True, False),
    ),
    (
        12,
        "multiple_goals",
        SCALE,
        "In hoeverre is er sprake van meervoudige doelen/recombinatie?",
        "To what extent does it pursue multiple goals/recombination?",
        False,
        (
            ("Enkelvoudig", "Single", "Meervoudig", "Multiple"),
            "Meervoudige doelen",
            "Multiple goals",
            False,
            True,
        ),
    ),
    (
        13,
        "potential",
        SCALE,
        "Heeft het initiatief potentie?",
        "Does the initiative have potential?",
        False,
        (NO_YES, "Potentie", "Potential", False, True),
    ),
    (
        14,
        "innovation",
        SCALE,
        "Is er sprake van innovatie/vernieuwingskracht?",
        "Is there innovation/power of renewal?",
        False,
        (NO_YES, "Innovatie", "Innovation", False, True),
    ),
    (
        15,
        "added_value",
        SCALE,
        "Heeft het initiatief toegevoegde waarde, impact op doelgroep?",
        "Does the initiative add value, have an impact on the target group?",
        False,
        (NO_YES, "Toegevoegde waarde", "Added value", False, True),
    ),
    (
        16,
        "support_needs",
        MULTI,
        "Ondersteuningsbehoefte initiatief?",
        "Support needs of the initiative?",
        True,
        [
            ("beleid_regels", "Aanpassen beleid of regels", "Adjusting policy or rules"),
            ("vergunning", "Vergunning", "Permit"),
            ("kennis", "Kennis, expertise, advies", "Knowledge, expertise, advice"),
            ("startsubsidie", "Startsubsidie", "Start-up grant"),
            ("structurele_steun", "Structurele financiële steun", "Structural financial support"),
            ("netwerken", "Netwerken, contacten", "Networks, contacts"),
            ("scholing", "Scholing", "Training"),
            ("rugdekking", "Steun, rugdekking", "Support, backing"),
            ("zeggenschap", "Zeggenschap", "A say in decisions"),
            ("publiciteit", "Aandacht, publiciteit", "Attention, publicity"),
            ("other", "Andere", "Other"),
        ],
    ),
    (
        17,
        "support_to_start",
        SCALE,
        "Is betrokkenheid en/of financiële steun van de gemeente een voorwaarde voor een "
        "succesvolle start van het initiatief?",
        "Is involvement and/or financial support from the municipality a condition for a "
        "successful start of the initiative?",
        False,
        (NO_YES, "Steun nodig bij start", "Support needed to start", True, False),
    ),
    (
        18,
        "support_to_continue",
        SCALE,
        "Is doorlopende betrokkenheid en/of financiële steun van de gemeente een voorwaarde voor "
        "het succesvol continueren van het initiatief?",
        "Is ongoing involvement and/or financial support from the municipality a condition for "
        "successfully continuing the initiative?",
        False,
        (NO_YES, "Steun nodig om door te gaan", "Support needed to continue", True, False),
    ),
    (
        19,
        "phase",
        SINGLE,
        "In welke fase zit het initiatief",
        "Which phase is the initiative in?",
        False,
        [
            ("ideevorming", "Ideevorming", "Idea formation"),
            ("opstart", "Opstartfase, 0-2 jaar", "Start-up phase, 0-2 years"),
            ("rijping", "Rijping, 2-5 jaar", "Maturing, 2-5 years"),
            ("continuiteit", "Continuïteit, 5-10 jaar", "Continuity, 5-10 years"),
            ("gevestigd", "Gevestigd, langer dan 10 jaar", "Established, more than 10 years"),
        ],
    ),
    (
        20,
        "funding_sources",
        MULTI,
        "Financieringsbronnen?",
        "Sources of funding?",
        True,
        [
            ("leden", "Leden/gebruikers", "Members/users"),
            ("bedrijven", "Bedrijven", "Companies"),
            ("gemeente", "Gemeente", "Municipality"),
            ("fondsen", "Fondsen", "Funds and foundations"),
            ("other", "Anders", "Other"),
        ],
    ),
    (
        21,
        "organisation_form",
        SINGLE,
        "Organisatievorm?",
        "Form of organisation?",
        True,
        [
            ("vereniging", "Vereniging", "Association"),
            ("stichting", "Stichting", "Foundation"),
            (
                "onderneming",
                "Eenmanszaak/VoF/BV",
                "Sole proprietorship/partnership/private company",
            ),
            ("geen_rechtspersoon", "Geen rechtspersoon", "No legal entity"),
            ("other", "Anders", "Other"),
        ],
    ),
    (
        22,
        "turnover",
        SINGLE,
        "Huidige omzet per jaar?",
        "Current turnover per year?",
        False,
        TURNOVER,
    ),
    (
        23,
        "expected_turnover",
        SINGLE,
        "Verwachte omzet over 2 jaar?",
        "Expected turnover in 2 years?",
        False,
        TURNOVER,
    ),
    (
        24,
        "municipal_connection",
        SCALE,
        "In hoeverre is het initiatief verbonden met de gemeente?",
        "To what extent is the initiative connected with the municipality?",
        False,
        (
            ("Niet/zeer zwak", "Not/very weakly", "Wel/zeer sterk", "Connected/very strongly"),
            "Verbonden met gemeente",
            "Tie to municipality",
            True,
            False,
        ),
    ),
]


def create_version_1(apps, schema_editor):
    Questionnaire = apps.get_model("intake", "Questionnaire")
    Question = apps.get_model("intake", "Question")
    Option = apps.get_model("intake", "Option")
    if Questionnaire.objects.filter(version=1).exists():
        return
    now = timezone.now()
    questionnaire = Questionnaire.objects.create(
        version=1,
        title="Intakelijst burgerinitiatieven",
        notes=(
            "De intakelijst van VNG/BZK (2015, §1.3). Samengestelde score: vragen 7, 9, 10, 12, "
            "13, 14 en 15, met gelijke gewichten."
        ),
        published_at=now,
        created_at=now,
    )
    for number, key, kind, text_nl, text_en, allows_other, detail in QUESTIONS:
        question = Question(
            questionnaire=questionnaire,
            number=number,
            key=key,
            kind=kind,
            text_nl=text_nl,
            text_en=text_en,
            allows_other=allows_other,
        )
        if kind == SCALE:
            poles, short_nl, short_en, descriptive, counts = detail
            (
                question.pole_low_nl,
                question.pole_low_en,
                question.pole_high_nl,
                question.pole_high_en,
            ) = poles
            question.short_label_nl = short_nl
            question.short_label_en = short_en
            question.descriptive = descriptive
            question.counts_toward_composite = counts
        question.save()
        if kind != SCALE:
            Option.objects.bulk_create(
                Option(question=question, position=position, code=code, label_nl=nl, label_en=en)
                for position, (code, nl, en) in enumerate(detail, start=1)
            )


def remove_version_1(apps, schema_editor):
    Questionnaire = apps.get_model("intake", "Questionnaire")
    Questionnaire.objects.filter(version=1, intakes__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(create_version_1, remove_version_1)]
