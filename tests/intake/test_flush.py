"""Version 1 comes from a data migration; a database flush must not leave the product without it."""

import pytest
from django.core.management import call_command

from intake.models import Option, Question, Questionnaire


@pytest.mark.django_db(transaction=True)
def test_version_1_is_loaded_again_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)

    questionnaire = Questionnaire.objects.get(version=1)
    assert questionnaire.questions.count() == 24
    assert Question.objects.filter(questionnaire=questionnaire, kind="scale").count() == 12
    assert Option.objects.filter(question__questionnaire=questionnaire).exists()


@pytest.mark.django_db(transaction=True)
def test_loading_again_does_not_duplicate_version_1():
    call_command("flush", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    assert Questionnaire.objects.filter(version=1).count() == 1
    assert Question.objects.filter(questionnaire__version=1).count() == 24
