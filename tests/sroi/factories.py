import datetime
from decimal import Decimal

import factory
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from bench.decisions import VOTERS, unanimous_polls
from governance import tally
from governance.models import Decision, Proposal
from sroi import services
from sroi.models import Allocation, BuildingBlock, Contract, Contractor, Fund
from sroi.selectors import catalogue_in_force
from sroi.valuation import CENT
from tests.accounts.factories import UserFactory
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


def bookkeeper():
    """The civil servant who books money in a test that is not about who books it (the money
    services take no system actor; `sroi.record_money`)."""
    return UserFactory(username="boekhouder", roles=[Role.CIVIL_SERVANT])


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


def as_decimal(amount):
    """A test's amount written as text or a whole number ("400.00", 400) as the Decimal it
    means; anything else as given (a test of a refusal may pass None)."""
    if isinstance(amount, (str, int)) and not isinstance(amount, bool):
        return Decimal(amount)
    return amount


def adopted_decision(
    *, fund: Fund, initiative, amount, purpose: str = "Inrichting", on: datetime.date | None = None
) -> Decision:
    """A real adopted allocation decision of day `on` (today by default), not yet carried out;
    a poll of three voters who all voted for, counted directly (`bench.decisions`): its tally
    is what the stored ballots give, as PostgreSQL checks."""
    amount = as_decimal(amount)
    # An amount the service will refuse (none, negative, part of a cent) still gets a proposal
    # the database accepts: PostgreSQL stores whole cents and would round 0.001 to 0.00.
    valid = isinstance(amount, Decimal) and amount > 0 and amount == amount.quantize(CENT)
    closed = timezone.now()
    if on is not None:
        closed = min(
            closed,
            datetime.datetime.combine(on, datetime.time(9), tzinfo=timezone.get_current_timezone()),
        )
    proposal = Proposal.objects.create(
        opens_at=closed - datetime.timedelta(days=14),
        closes_at=closed,
        title=f"Toekenning aan {initiative}",
        text="Het voorstel.",
        kind=Proposal.Kind.FUND_ALLOCATION,
        method=Proposal.Method.POLL,
        status=Proposal.Status.DISCUSSION,
        fund=fund,
        initiative=initiative,
        amount=amount if valid else Decimal("0.01"),
        purpose=purpose or "Inrichting",
    )
    unanimous_polls([proposal], status=Proposal.Status.ADOPTED)
    result = tally.tally_counts(
        community=tally.Counts(voor=VOTERS),
        institution=tally.Counts(),
        electorate=VOTERS,
        rule=tally.Rule(),
    )
    return Decision.objects.create(
        proposal=proposal, outcome=result.outcome, tally=result.as_dict(), decided_at=closed
    )


@transaction.atomic
def allocate(*, fund: Fund, initiative, amount, actor=None, **fields) -> Allocation:
    """Book an allocation as governance does: the ledger half of carrying out a real adopted
    decision (`sroi.services.allocate`), with the decision linked back in the same transaction.

    For tests of the ledger; the whole path (vote, `execute_decision`) is in tests/governance.
    """
    amount = as_decimal(amount)
    decision = adopted_decision(
        fund=fund,
        initiative=initiative,
        amount=amount,
        purpose=fields.get("purpose", ""),
        on=fields.get("date"),
    )
    fields.setdefault("decision_reference", decision.reference)
    actor = actor or bookkeeper()
    allocation = services.allocate(
        fund=fund,
        initiative=initiative,
        amount=amount,
        decision_id=decision.pk,
        actor=actor,
        **fields,
    )
    Decision.objects.filter(pk=decision.pk).update(
        allocation=allocation, executed_at=timezone.now(), executed_by=actor
    )
    Proposal.objects.filter(pk=decision.proposal_id).update(status=Proposal.Status.EXECUTED)
    return allocation
