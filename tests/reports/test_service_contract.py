"""The service contract in reports (issue 19): the service itself asks the rule the page asks,
the system (the beat job, `generate_report`, the demo) says so with actor=None, and the actor is
the audit user outside a request too."""

import pytest
from django.core.exceptions import ValidationError

from reports import services
from reports.models import AnnualReport, Outcome
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def _outcome(actor, value=3):
    return services.record_outcome(
        initiative=InitiativeFactory(),
        year=2025,
        indicator=Outcome.Indicator.SCHOOL,
        value=value,
        source="Telling",
        actor=actor,
    )


CALLS = {
    "request_report": lambda actor: services.request_report(
        year=2025, language="nl", dispatch=False, actor=actor
    ),
    "request_reports": lambda actor: services.request_reports(
        year=2025, languages=["nl", "en"], actor=actor
    ),
    "record_outcome": _outcome,
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_role_without_the_rule_is_refused_by_the_service(name, community_member, advisory_member):
    for actor in (community_member, advisory_member):
        with pytest.raises(ValidationError) as refused:
            CALLS[name](actor)
        assert refused.value.code == "forbidden"
    assert not AnnualReport.objects.exists()
    assert not Outcome.objects.exists()


def test_a_request_in_several_languages_is_one_transaction(civil_servant):
    with pytest.raises(ValidationError):
        services.request_reports(year=2025, languages=["nl", "fr"], actor=civil_servant)
    assert not AnnualReport.objects.exists()
    made = services.request_reports(year=2025, languages=["nl", "en"], actor=civil_servant)
    assert [(r.language, r.requested_by) for r in made] == [
        ("nl", civil_servant),
        ("en", civil_servant),
    ]


def test_the_actor_is_the_audit_user_outside_a_request_and_the_system_says_so(civil_servant):
    outcome = _outcome(civil_servant)
    assert outcome.history.get().history_user == civil_servant
    report = services.request_report(year=2025, language="nl", dispatch=False, actor=None)
    assert report.requested_by is None


def test_actor_is_a_required_keyword():
    with pytest.raises(TypeError):
        services.request_report(year=2025, language="nl", dispatch=False)
