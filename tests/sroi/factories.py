import datetime
from decimal import Decimal

import factory

from sroi import services
from sroi.models import BuildingBlock, Contract, Contractor, Fund
from sroi.selectors import catalogue_in_force
from tests.initiatives.factories import InitiativeFactory

__all__ = ["InitiativeFactory"]

TODAY = datetime.date(2026, 6, 15)


class ContractorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contractor

    name = factory.Sequence(lambda n: f"Bouwbedrijf {n} B.V.")
    kvk_number = factory.Sequence(lambda n: f"{10000000 + n:08d}")
    contact_name = "Jan de Contactpersoon"
    contact_email = "jan@bouwbedrijf.example"


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract of €1,000,000 at 5% (obligation €50,000), running 2025-2027."""

    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"TEST-{n:05d}")
    title = factory.Sequence(lambda n: f"Renovatie gebouw {n}")
    department = "Vastgoed"
    contractor = factory.SubFactory(ContractorFactory)
    value = Decimal("1000000.00")
    percentage = Decimal("5.00")
    threshold = Decimal("250000.00")
    award_date = datetime.date(2025, 1, 1)
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2027, 12, 31)
    fulfilment_deadline = factory.SelfAttribute("end_date")


def make_fund(name: str = "Testfonds", actor=None) -> Fund:
    return services.create_fund(name=name, actor=actor)


def funded(amount: str = "1000.00", *, fund: Fund | None = None, actor=None) -> Fund:
    """A fund with `amount` available from a municipal top-up."""
    fund = fund or make_fund(actor=actor)
    services.record_other_income(
        fund=fund,
        amount=Decimal(amount),
        date=datetime.date(2025, 1, 10),
        description="Aanvulling gemeente",
        actor=actor,
    )
    return fund


def block(code: str, on: datetime.date = datetime.date(2025, 1, 1)) -> BuildingBlock:
    """A block of the catalogue in force on `on` (the Utrecht table of the data migration)."""
    return BuildingBlock.objects.get(catalogue=catalogue_in_force(on), code=code)
