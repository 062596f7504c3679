from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from intake import selectors, services
from intake.models import Answer, Intake, Questionnaire

from .factories import (
    InitiativeFactory,
    IntakeFactory,
    confirmed_intake,
    option_ids,
    scale_answers,
    version_1,
)

pytestmark = pytest.mark.django_db


def _answers_of(intake):
    return {
        a.question.number: (a.scale_value, sorted(o.code for o in a.options.all()), a.other_text)
        for a in Answer.objects.filter(intake=intake).select_related("question")
    }


class TestStartIntake:
    def test_opens_a_draft_with_the_newest_published_version(self, civil_servant):
        initiative = InitiativeFactory()
        intake = services.start_intake(initiative=initiative, actor=civil_servant)
        assert intake.status == Intake.Status.DRAFT
        assert intake.method == Intake.Method.CONVERSATION
        assert intake.conducted_by == civil_servant
        assert intake.questionnaire == version_1()
        assert intake.history.count() == 1

    def test_is_refused_without_a_published_version(self, civil_servant):
        Questionnaire.objects.update(published_at=None)
        with pytest.raises(ValidationError) as error:
            services.start_intake(initiative=InitiativeFactory(), actor=civil_servant)
        assert error.value.code == "no_questionnaire"
        assert not Intake.objects.exists()

    @pytest.mark.parametrize("fixture", ["community_member", "youth_member", "advisory_member"])
    def test_only_staff_start_intakes(self, request, fixture):
        actor = request.getfixturevalue(fixture)
        with pytest.raises(ValidationError):
            services.start_intake(initiative=InitiativeFactory(), actor=actor)
        assert not Intake.objects.exists()


class TestSaveAnswers:
    def test_stores_each_kind_and_replaces_on_the_next_save(self, civil_servant):
        intake = IntakeFactory()
        q = intake.questionnaire
        services.save_answers(
            intake=intake,
            actor=civil_servant,
            answers={
                7: services.AnswerInput(scale_value=8),
                2: services.AnswerInput(option_ids=option_ids(q, 2, "11-30")),
                16: services.AnswerInput(option_ids=option_ids(q, 16, "startsubsidie", "kennis")),
            },
        )
        assert _answers_of(intake) == {
            7: (8, [], ""),
            2: (None, ["11-30"], ""),
            16: (None, ["kennis", "startsubsidie"], ""),
        }
        services.save_answers(
            intake=intake,
            actor=civil_servant,
            answers={7: services.AnswerInput(scale_value=9), 2: services.AnswerInput()},
        )
        assert _answers_of(intake) == {7: (9, [], ""), 16: (None, ["kennis", "startsubsidie"], "")}

    def test_describing_another_answer_chooses_other(self, civil_servant):
        intake = IntakeFactory()
        q = intake.questionnaire
        services.save_answers(
            intake=intake,
            actor=civil_servant,
            answers={
                1: services.AnswerInput(
                    option_ids=option_ids(q, 1, "jeugdzorg"), other_text="Huiswerkklas"
                ),
                21: services.AnswerInput(other_text="Coöperatie"),
            },
        )
        assert _answers_of(intake) == {
            1: (None, ["jeugdzorg", "other"], "Huiswerkklas"),
            21: (None, ["other"], "Coöperatie"),
        }

    def test_a_single_choice_takes_one_option(self, civil_servant):
        intake = IntakeFactory()
        with pytest.raises(ValidationError) as error:
            services.save_answers(
                intake=intake,
                actor=civil_servant,
                answers={
                    2: services.AnswerInput(
                        option_ids=option_ids(intake.questionnaire, 2, "0-2", "3-10")
                    )
                },
            )
        assert "q2" in error.value.message_dict
        assert not Answer.objects.exists()

    def test_options_of_another_question_are_refused(self, civil_servant):
        intake = IntakeFactory()
        with pytest.raises(ValidationError):
            services.save_answers(
                intake=intake,
                actor=civil_servant,
                answers={
                    2: services.AnswerInput(option_ids=option_ids(intake.questionnaire, 3, "0-1"))
                },
            )

    @pytest.mark.parametrize("value", [0, 11])
    def test_scores_outside_1_to_10_are_refused_and_nothing_is_saved(self, civil_servant, value):
        intake = IntakeFactory()
        with pytest.raises(ValidationError) as error:
            services.save_answers(
                intake=intake, actor=civil_servant, answers=scale_answers({9: 5, 7: value})
            )
        assert set(error.value.message_dict) == {"q7"}
        assert not Answer.objects.exists()

    def test_the_database_refuses_a_score_outside_1_to_10(self):
        intake = IntakeFactory()
        question = intake.questionnaire.questions.get(number=7)
        with pytest.raises(IntegrityError), transaction.atomic():
            Answer.objects.create(intake=intake, question=question, scale_value=11)

    def test_one_answer_per_question(self):
        intake = IntakeFactory()
        question = intake.questionnaire.questions.get(number=7)
        Answer.objects.create(intake=intake, question=question, scale_value=5)
        with pytest.raises(IntegrityError), transaction.atomic():
            Answer.objects.create(intake=intake, question=question, scale_value=6)

    def test_a_confirmed_intake_cannot_change(self, civil_servant):
        intake = confirmed_intake(values={7: 8})
        with pytest.raises(ValidationError) as error:
            services.save_answers(intake=intake, answers=scale_answers({7: 2}), actor=civil_servant)
        assert error.value.code == "confirmed"
        assert selectors.scale_profile(intake) == {7: 8}


class TestConfirm:
    def test_computes_and_stores_the_composite_with_one_decimal(self, civil_servant):
        intake = IntakeFactory()
        services.save_answers(
            intake=intake,
            actor=civil_servant,
            # 8, 11 and 24 describe: they do not count.
            answers=scale_answers({7: 8, 9: 7, 10: 6, 12: 8, 13: 7, 14: 6, 15: 9, 8: 1, 24: 1}),
        )
        intake = services.confirm_intake(intake=intake, actor=civil_servant)
        intake.refresh_from_db()
        assert intake.composite == Decimal("7.3")
        assert intake.status == Intake.Status.CONFIRMED
        assert intake.confirmed_by == civil_servant and intake.confirmed_at is not None
        assert intake.history.first().composite == Decimal("7.3")

    def test_without_counting_answers_the_composite_stays_empty(self, civil_servant):
        intake = IntakeFactory()
        services.save_answers(intake=intake, actor=civil_servant, answers=scale_answers({8: 3}))
        intake = services.confirm_intake(intake=intake, actor=civil_servant)
        assert intake.composite is None and intake.is_confirmed

    def test_an_empty_intake_cannot_be_confirmed(self, civil_servant):
        intake = IntakeFactory()
        with pytest.raises(ValidationError):
            services.confirm_intake(intake=intake, actor=civil_servant)
        assert Intake.objects.get().status == Intake.Status.DRAFT

    def test_confirming_twice_is_refused(self, civil_servant):
        intake = confirmed_intake()
        with pytest.raises(ValidationError):
            services.confirm_intake(intake=intake, actor=civil_servant)

    def test_confirming_withdraws_open_links(self, civil_servant):
        intake = IntakeFactory()
        link, _token = services.create_initiator_link(intake=intake, actor=civil_servant)
        services.save_answers(intake=intake, actor=civil_servant, answers=scale_answers({7: 6}))
        services.confirm_intake(intake=intake, actor=civil_servant)
        link.refresh_from_db()
        assert link.revoked_at is not None


class TestPublish:
    def test_only_a_confirmed_intake_is_published(self, civil_servant):
        draft = IntakeFactory()
        with pytest.raises(ValidationError):
            services.set_profile_published(intake=draft, published=True, actor=civil_servant)
        confirmed = confirmed_intake()
        services.set_profile_published(intake=confirmed, published=True, actor=civil_servant)
        assert Intake.objects.get(pk=confirmed.pk).is_published
        services.set_profile_published(intake=confirmed, published=False, actor=civil_servant)
        assert not Intake.objects.get(pk=confirmed.pk).is_published

    def test_the_database_refuses_a_published_draft(self):
        intake = IntakeFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Intake.objects.filter(pk=intake.pk).update(is_published=True)


class TestSelectors:
    def test_previous_intake_is_the_confirmed_one_before(self):
        initiative = InitiativeFactory()
        from datetime import date

        first = confirmed_intake(initiative=initiative, on=date(2024, 3, 1))
        second = confirmed_intake(initiative=initiative, on=date(2025, 3, 1))
        draft = IntakeFactory(initiative=initiative, date=date(2026, 3, 1))
        assert selectors.previous_intake(second) == first
        assert selectors.previous_intake(first) is None
        assert selectors.previous_intake(draft) == second

    def test_median_uses_each_initiatives_latest_confirmed_intake(self):
        from datetime import date

        a, b, c = InitiativeFactory(), InitiativeFactory(), InitiativeFactory()
        confirmed_intake(initiative=a, values={7: 1}, on=date(2024, 1, 1))  # superseded
        confirmed_intake(initiative=a, values={7: 6}, on=date(2025, 1, 1))
        confirmed_intake(initiative=b, values={7: 8, 9: 2})
        confirmed_intake(initiative=c, values={7: 9, 9: 4})
        IntakeFactory(initiative=c, date=date(2026, 1, 1))  # a draft does not count
        assert selectors.median_of_latest_profiles() == {7: Decimal("8"), 9: Decimal("3")}
