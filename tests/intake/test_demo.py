import pytest
from django.core.management import call_command

from intake import demo, selectors
from intake.models import Answer, Intake

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_confirmed_intakes_once():
    call_command("seed_demo", verbosity=0, force=True)
    intakes = list(Intake.objects.select_related("initiative"))
    slugs = {intake.initiative.slug for intake in intakes}
    assert slugs == set(demo.PLANS)  # every demo initiative has its intakes
    assert all(intake.is_confirmed and intake.composite is not None for intake in intakes)
    assert len(intakes) == sum(len(plan[1]) for plan in demo.PLANS.values())
    published = Intake.objects.get(is_published=True)
    assert published.initiative.slug == "community-home-24-7"
    assert selectors.previous_intake(published) is not None
    answers = Answer.objects.count()

    call_command("seed_demo", verbosity=0, force=True)
    assert Intake.objects.count() == len(intakes)
    assert Answer.objects.count() == answers


def test_demo_intakes_without_initiatives_are_skipped():
    messages = []
    demo.seed(messages.append)
    assert not Intake.objects.exists()
    assert any("skipped" in message for message in messages)
