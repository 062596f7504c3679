"""The service contract in sroi (issue 19): the service itself asks the rule the page asks, the
system only where the service says so, and the actor is the audit user outside a request too."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sroi import services
from sroi.models import Allocation, ClosedYear, Contractor, Realisation, Transaction

from .factories import ContractFactory, ContractorFactory, block

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


def _written():
    return (
        Contractor.objects.count(),
        Transaction.objects.count(),
        Allocation.objects.filter(status=Allocation.Status.OPEN).count(),
        Realisation.objects.filter(status=Realisation.Status.CLAIMED).count(),
        ClosedYear.objects.count(),
    )


# Each call as a page makes it; `scenario` (conftest) gives the objects.
CALLS = {
    "create_contractor": lambda s: services.create_contractor(
        name="Bouwbedrijf Noord", kvk_number="87654321", actor=s["actor"]
    ),
    "update_contract": lambda s: services.update_contract(
        contract=s["contract"], title="Iets anders", actor=s["actor"]
    ),
    "claim_realisation": lambda s: services.claim_realisation(
        contract=s["contract"],
        block=block("ww"),
        target_group="ww",
        person_reference="GEHEIM-008",
        start_date=datetime.date(2025, 2, 1),
        months=Decimal("6"),
        hours_per_week=Decimal("36"),
        actor=s["actor"],
    ),
    "verify_realisation": lambda s: services.verify_realisation(
        realisation=s["realisation"], actor=s["actor"]
    ),
    "reject_realisation": lambda s: services.reject_realisation(
        realisation=s["realisation"], reason="Geen bewijs", actor=s["actor"]
    ),
    "record_other_income": lambda s: services.record_other_income(
        fund=s["fund"], amount=Decimal("5.00"), date=DAY, description="Gift", actor=s["actor"]
    ),
    "disburse": lambda s: services.disburse(
        allocation=s["allocation"], amount=Decimal("5.00"), date=DAY, actor=s["actor"]
    ),
    "return_unspent": lambda s: services.return_unspent(
        allocation=s["allocation"], amount=Decimal("5.00"), date=DAY, actor=s["actor"]
    ),
    "close_allocation": lambda s: services.close_allocation(
        allocation=s["allocation"], actor=s["actor"]
    ),
    "reverse_transaction": lambda s: services.reverse_transaction(
        transaction=s["allocation"].transactions.get(kind=Transaction.Kind.DISBURSEMENT),
        reason="Vergissing",
        actor=s["actor"],
    ),
    "close_year": lambda s: services.close_year(
        year=timezone.localdate().year - 1, reason="Klaar", actor=s["actor"]
    ),
}
# What the system (a task, the demo data) may do; every other money service needs a person.
SYSTEM = {
    "create_contractor",
    "claim_realisation",
    "verify_realisation",
    "reject_realisation",
    "record_other_income",
    "close_year",
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_role_without_the_rule_is_refused_by_the_service_and_nothing_is_written(
    name, scenario, community_member, advisory_member
):
    before = _written()
    for actor in (community_member, advisory_member):
        with pytest.raises(ValidationError) as refused:
            CALLS[name]({**scenario, "actor": actor})
        assert refused.value.code == "forbidden"
    assert _written() == before


@pytest.mark.parametrize("name", sorted(set(CALLS) - SYSTEM))
def test_the_system_is_refused_where_the_service_does_not_allow_it(name, scenario):
    before = _written()
    with pytest.raises(ValidationError) as refused:
        CALLS[name]({**scenario, "actor": None})
    assert refused.value.code == "forbidden"
    assert _written() == before


def test_closing_a_year_is_for_civil_servants_not_administrators(administrator):
    with pytest.raises(ValidationError) as refused:
        services.close_year(year=2024, reason="Klaar", actor=administrator)
    assert refused.value.code == "forbidden"
    assert not ClosedYear.objects.exists()


def test_the_actor_is_the_audit_user_of_every_row_outside_a_request(civil_servant):
    contractor = services.create_contractor(
        name="Bouwbedrijf Noord", kvk_number="87654321", actor=civil_servant
    )
    fund = services.create_fund(name="Wijkfonds", actor=civil_servant)
    contract = services.update_contract(
        contract=ContractFactory(contractor=contractor), title="Nieuw", actor=civil_servant
    )
    assert contractor.history.get().history_user == civil_servant
    assert fund.history.get().history_user == civil_servant
    assert contract.history.latest().history_user == civil_servant
    system = ContractorFactory.build(name="Door het systeem")
    made = services.create_contractor(name=system.name, kvk_number="11223344", actor=None)
    assert made.history.get().history_user is None


def test_actor_is_a_required_keyword():
    with pytest.raises(TypeError):
        services.create_fund(name="Wijkfonds")
    with pytest.raises(TypeError):
        services.close_year(2024, None, "Klaar")
