"""Version 1 is the VNG list exactly; versions are data an administrator publishes without code."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from intake import selectors, services
from intake.models import Answer, Intake, Question, Questionnaire

from .factories import COUNTING, SCALE_NUMBERS, InitiativeFactory, scale_answers, version_1

pytestmark = pytest.mark.django_db

# A literal copy of DOMAIN.md §1: number, question (nl), kind, options / poles.
TURNOVER = ["0-10 k€", "10-50 k€", "50-250 k€", "250 k€-1 mln.", "1 mln.+"]
DOMAIN_TABLE = [
    (
        1,
        "Essentie van het initiatief (meerdere opties mogelijk)",
        "multi",
        [
            "Zorg bieden aan ouderen",
            "Dagbesteding voor mensen zonder betaald werk",
            "Sociale cohesie in de wijk vergroten",
            "Maatjes-projecten, mentor, koppelen duo's",
            "Ruilnetwerken, uitwisseling, makelen vraag en aanbod",
            "Consultatie / patiëntenparticipatie",
            "Zelfhulpgroepen, lotgenoten",
            "Ondersteuning mantelzorg",
            "Jeugdzorg",
            "Jongeren netwerken",
            "Probleemgezinnen, eigen kracht",
            "Faciliteren en steunen initiatieven",
            "Andere",
        ],
    ),
    (2, "Aantal vrijwilligers?", "single", ["0-2", "3-10", "11-30", "31-100", "100+"]),
    (3, "Aantal professionals?", "single", ["0-1", "2-5", "6-15", "16-30", "30+"]),
    (
        4,
        "Aantal personen uit doelgroep geholpen in afgelopen jaar?",
        "single",
        ["0-5", "5-25", "25-100", "100-500", "500+"],
    ),
    (
        5,
        "Initiatiefnemer?",
        "single",
        ["Bewoner(s)", "Sociaal ondernemer", "Middenveld", "Overheid", "Anders"],
    ),
    (6, "Aard en focus betrokkenheid", "single", ["Jongeren", "Middengroepen", "Ouderen", "Allen"]),
    (
        7,
        "Is de initiatiefnemer gecommitteerd en in staat om het initiatief te realiseren?",
        "scale",
        ("Nee", "Ja"),
    ),
    (
        8,
        "Aard initiatief, motivatie, hulp versus ruil, altruïsme, of ook geld verdienen?",
        "scale",
        ("Louter altruïsme", "Louter geld verdienen"),
    ),
    (9, "Draagt het idee bij aan maatschappelijke doelen?", "scale", ("Nee", "Ja")),
    (10, "Draagt het idee bij aan doelstellingen van de gemeente?", "scale", ("Nee", "Ja")),
    (11, "Is het mogelijk om politiek te 'scoren' met het initiatief?", "scale", ("Nee", "Ja")),
    (
        12,
        "In hoeverre is er sprake van meervoudige doelen/recombinatie?",
        "scale",
        ("Enkelvoudig", "Meervoudig"),
    ),
    (13, "Heeft het initiatief potentie?", "scale", ("Nee", "Ja")),
    (14, "Is er sprake van innovatie/vernieuwingskracht?", "scale", ("Nee", "Ja")),
    (15, "Heeft het initiatief toegevoegde waarde, impact op doelgroep?", "scale", ("Nee", "Ja")),
    (
        16,
        "Ondersteuningsbehoefte initiatief?",
        "multi",
        [
            "Aanpassen beleid of regels",
            "Vergunning",
            "Kennis, expertise, advies",
            "Startsubsidie",
            "Structurele financiële steun",
            "Netwerken, contacten",
            "Scholing",
            "Steun, rugdekking",
            "Zeggenschap",
            "Aandacht, publiciteit",
            "Andere",
        ],
    ),
    (
        17,
        "Is betrokkenheid en/of financiële steun van de gemeente een voorwaarde voor een "
        "succesvolle start van het initiatief?",
        "scale",
        ("Nee", "Ja"),
    ),
    (
        18,
        "Is doorlopende betrokkenheid en/of financiële steun van de gemeente een voorwaarde voor "
        "het succesvol continueren van het initiatief?",
        "scale",
        ("Nee", "Ja"),
    ),
    (
        19,
        "In welke fase zit het initiatief",
        "single",
        [
            "Ideevorming",
            "Opstartfase, 0-2 jaar",
            "Rijping, 2-5 jaar",
            "Continuïteit, 5-10 jaar",
            "Gevestigd, langer dan 10 jaar",
        ],
    ),
    (
        20,
        "Financieringsbronnen?",
        "multi",
        ["Leden/gebruikers", "Bedrijven", "Gemeente", "Fondsen", "Anders"],
    ),
    (
        21,
        "Organisatievorm?",
        "single",
        ["Vereniging", "Stichting", "Eenmanszaak/VoF/BV", "Geen rechtspersoon", "Anders"],
    ),
    (22, "Huidige omzet per jaar?", "single", TURNOVER),
    (23, "Verwachte omzet over 2 jaar?", "single", TURNOVER),
    (
        24,
        "In hoeverre is het initiatief verbonden met de gemeente?",
        "scale",
        ("Niet/zeer zwak", "Wel/zeer sterk"),
    ),
]
WITH_OTHER = {1, 5, 16, 20, 21}
DESCRIPTIVE = {8, 11, 17, 18, 24}


class TestVersionOne:
    def test_is_published_and_new_intakes_use_it(self):
        questionnaire = version_1()
        assert questionnaire.is_published
        assert selectors.newest_published_questionnaire() == questionnaire

    def test_has_the_24_questions_of_the_vng_list_in_order(self):
        questions = list(version_1().questions.order_by("number"))
        assert [q.number for q in questions] == list(range(1, 25))
        assert [(q.number, q.text_nl, q.kind) for q in questions] == [
            (number, text, kind) for number, text, kind, _detail in DOMAIN_TABLE
        ]

    @pytest.mark.parametrize(("number", "text", "kind", "detail"), DOMAIN_TABLE)
    def test_every_question_has_exactly_its_options_or_poles(self, number, text, kind, detail):
        question = version_1().questions.get(number=number)
        assert question.text_nl == text
        assert question.text_en, "every question has an English translation"
        if kind == "scale":
            assert (question.pole_low_nl, question.pole_high_nl) == detail
            assert question.pole_low_en and question.pole_high_en
            assert not question.options.exists()
        else:
            options = list(question.options.order_by("position"))
            assert [o.label_nl for o in options] == detail
            assert all(o.label_en for o in options)
            assert len({o.code for o in options}) == len(options)
        assert question.allows_other == (number in WITH_OTHER)
        if number in WITH_OTHER:
            assert question.options.get(code="other").label_nl in ("Andere", "Anders")

    def test_there_are_twelve_scales_and_five_of_them_describe(self):
        scales = version_1().questions.filter(kind=Question.Kind.SCALE)
        assert sorted(scales.values_list("number", flat=True)) == list(SCALE_NUMBERS)
        assert set(scales.filter(descriptive=True).values_list("number", flat=True)) == DESCRIPTIVE

    def test_default_composite_counts_7_9_10_12_13_14_15_with_equal_weights(self):
        weights = selectors.composite_weights(version_1())
        assert sorted(weights) == list(COUNTING)
        assert set(weights.values()) == {Decimal("1.00")}

    def test_support_needs_are_found_by_their_key(self):
        labels = [o.label_nl for o in selectors.support_need_options()]
        assert labels == DOMAIN_TABLE[15][3]

    @pytest.mark.parametrize(
        ("language", "question_text", "option_label"),
        [
            ("nl", "Ondersteuningsbehoefte initiatief?", "Startsubsidie"),
            ("en", "Support needs of the initiative?", "Start-up grant"),
        ],
    )
    def test_texts_follow_the_active_language(self, language, question_text, option_label):
        question = version_1().questions.get(number=16)
        option = question.options.get(code="startsubsidie")
        with translation.override(language):
            assert question.text == question_text
            assert option.label == option_label


class TestNewVersions:
    def test_copy_makes_a_draft_with_all_questions_and_options(self, administrator):
        copy = services.copy_questionnaire(questionnaire=version_1(), actor=administrator)
        assert copy.version == 2 and not copy.is_published
        assert copy.questions.count() == 24
        original = [
            (q.number, q.key, q.text_nl, q.weight, q.counts_toward_composite)
            for q in version_1().questions.all()
        ]
        copied = [
            (q.number, q.key, q.text_nl, q.weight, q.counts_toward_composite)
            for q in copy.questions.all()
        ]
        assert copied == original
        assert (
            copy.questions.get(number=16).options.count()
            == version_1().questions.get(number=16).options.count()
        )
        # A draft is not used for new intakes.
        assert selectors.newest_published_questionnaire() == version_1()

    def test_publishing_a_new_version_leaves_old_intakes_intact(self, administrator, client):
        # given an intake answered with version 1
        old = services.start_intake(initiative=InitiativeFactory(), actor=None)
        services.save_answers(intake=old, answers=scale_answers({7: 8, 9: 6}), actor=None)
        services.confirm_intake(intake=old, actor=None)
        # when version 2 changes question 7 and its weight, and is published
        draft = services.copy_questionnaire(questionnaire=version_1(), actor=administrator)
        draft.questions.filter(number=7).update(
            text_nl="Is de initiatiefnemer in staat het initiatief te dragen?",
            weight=Decimal("3"),
        )
        services.publish_questionnaire(questionnaire=draft, actor=administrator)
        # then new intakes use version 2, the old one keeps version 1 with its answers
        new = services.start_intake(initiative=InitiativeFactory(), actor=None)
        assert new.questionnaire == draft
        old = Intake.objects.get(pk=old.pk)
        assert old.questionnaire == version_1()
        assert old.composite == Decimal("7.0")
        answer = Answer.objects.get(intake=old, question__number=7)
        assert answer.question.questionnaire == version_1()
        assert answer.question.text_nl == DOMAIN_TABLE[6][1]
        client.force_login(administrator)
        page = client.get(reverse("intake:detail", args=[old.pk])).content.decode()
        assert DOMAIN_TABLE[6][1] in page
        assert "in staat het initiatief te dragen" not in page

    def test_new_version_weights_count_for_new_intakes(self, administrator):
        draft = services.copy_questionnaire(questionnaire=version_1(), actor=administrator)
        draft.questions.filter(number=7).update(weight=Decimal("3"))
        services.publish_questionnaire(questionnaire=draft, actor=administrator)
        intake = services.start_intake(initiative=InitiativeFactory(), actor=None)
        services.save_answers(intake=intake, answers=scale_answers({7: 8, 9: 4}), actor=None)
        intake = services.confirm_intake(intake=intake, actor=None)
        assert intake.composite == Decimal("7.0")  # (3*8 + 4) / 4

    def test_a_published_version_with_intakes_is_locked(self):
        questionnaire = version_1()
        assert not selectors.questionnaire_is_locked(questionnaire)
        services.start_intake(initiative=InitiativeFactory(), actor=None)
        assert selectors.questionnaire_is_locked(questionnaire)
        with pytest.raises(ValidationError) as error:
            services.check_questionnaire_editable(questionnaire)
        assert error.value.code == "locked"

    def test_publishing_twice_or_empty_is_refused(self, administrator):
        with pytest.raises(ValidationError):
            services.publish_questionnaire(questionnaire=version_1(), actor=administrator)
        empty = Questionnaire.objects.create(version=7, title="Leeg")
        with pytest.raises(ValidationError):
            services.publish_questionnaire(questionnaire=empty, actor=administrator)
        assert not Questionnaire.objects.get(pk=empty.pk).is_published

    def test_a_community_member_cannot_copy_or_publish(self, community_member):
        with pytest.raises(ValidationError):
            services.copy_questionnaire(questionnaire=version_1(), actor=community_member)
        assert Questionnaire.objects.count() == 1

    def test_a_version_in_use_cannot_be_deleted(self):
        from django.db.models import ProtectedError

        services.start_intake(initiative=InitiativeFactory(), actor=None)
        with pytest.raises(ProtectedError):
            version_1().delete()
