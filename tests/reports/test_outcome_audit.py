"""`record_outcome` keeps who entered (and who corrected) a number, in the history too."""

import pytest

from reports import services
from reports.models import Outcome
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def _record(initiative, *, value, actor):
    return services.record_outcome(
        initiative=initiative,
        year=2025,
        indicator=Outcome.Indicator.SCHOOL,
        value=value,
        source="Jaarverslag",
        actor=actor,
    )


def test_every_correction_of_an_outcome_records_its_author_in_the_history(civil_servant):
    initiative = InitiativeFactory()
    _record(initiative, value=10, actor=None)
    outcome = _record(initiative, value=12, actor=civil_servant)

    assert Outcome.objects.filter(initiative=initiative).count() == 1
    assert outcome.value == 12 and outcome.recorded_by == civil_servant
    history = list(outcome.history.order_by("history_date").values_list("value", "history_user"))
    assert history == [(10, None), (12, civil_servant.pk)]


def test_record_outcome_takes_keyword_arguments_only(civil_servant):
    with pytest.raises(TypeError):
        services.record_outcome(
            InitiativeFactory(), 2025, Outcome.Indicator.SCHOOL, 1, "x", civil_servant
        )
