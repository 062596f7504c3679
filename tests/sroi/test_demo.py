"""The demo scenario's social return, and the catalogue that survives a database flush."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from sroi import demo, selectors
from sroi.models import (
    Allocation,
    BlockCatalogue,
    BuildingBlock,
    Contract,
    Entry,
    Fund,
    Realisation,
    Transaction,
)


@pytest.mark.django_db
def test_seed_demo_makes_the_museum_contract_and_the_fund_once():
    call_command("seed_demo", verbosity=0, force=True)
    museum = selectors.contract_detail(
        Contract.objects.get(title="Bouw Nationaal Slavernijmuseum").pk
    )
    assert museum.obligation == Decimal("5000000.00")
    statuses = set(museum.realisations.values_list("status", flat=True))
    assert statuses == {
        Realisation.Status.VERIFIED,
        Realisation.Status.REJECTED,
        Realisation.Status.CLAIMED,
    }
    assert museum.realisations.get(status=Realisation.Status.REJECTED).rejection_reason
    assert museum.paid_in_cash == Decimal("250000.00")
    fund = Fund.objects.get(name=demo.FUND_NAME)
    summary = selectors.fund_summary(fund)
    # Last year's budget round (budgeting/demo.py): its plans paid half last year, half this.
    plans = Allocation.objects.exclude(initiative__slug="community-home-24-7")
    first = sum(((a.amount / 2).quantize(Decimal("0.01")) for a in plans), start=Decimal(0))
    second = sum((a.amount for a in plans), start=Decimal(0)) - first
    assert plans.exists()
    # 250k museum + 50k top-up + 25k catering − 40k and 30k tranches (governance/demo.py)
    assert summary.balance == Decimal("255000.00") - first - second
    assert summary.allocated == Decimal("50000.00")  # 120k allocated − 70k paid
    assert (summary.inflow_this_year, summary.outflow_this_year) == (
        Decimal("25000.00"),
        Decimal("30000.00") + second,
    )
    last_year = selectors.fund_summary(fund, year=timezone.localdate().year - 1)
    assert (last_year.inflow_this_year, last_year.outflow_this_year) == (
        Decimal("300000.00"),
        Decimal("40000.00") + first,
    )
    allocation = Allocation.objects.get(initiative__slug="community-home-24-7")
    assert allocation.initiative.slug == "community-home-24-7"
    assert allocation.decision_reference and allocation.decision_id
    counts = (
        Contract.objects.count(),
        Realisation.objects.count(),
        Transaction.objects.count(),
        Entry.objects.count(),
    )

    call_command("seed_demo", verbosity=0, force=True)
    assert counts == (
        Contract.objects.count(),
        Realisation.objects.count(),
        Transaction.objects.count(),
        Entry.objects.count(),
    )


@pytest.mark.django_db
def test_the_sroi_demo_books_money_in_and_leaves_allocating_to_a_decision():
    messages = []
    demo.seed(messages.append)
    assert not Allocation.objects.exists()
    fund = Fund.objects.get(name=demo.FUND_NAME)
    assert selectors.fund_summary(fund).available == Decimal("325000.00")
    years = {day.year for day in Transaction.objects.dates("date", "year")}
    assert years == {timezone.localdate().year - 1, timezone.localdate().year}


@pytest.mark.django_db(transaction=True)
def test_the_utrecht_catalogue_is_loaded_again_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    catalogue = BlockCatalogue.objects.get()
    assert "utrecht.nl" in catalogue.source
    assert BuildingBlock.objects.filter(catalogue=catalogue).count() == 14
    assert BuildingBlock.objects.get(code="participatiewet").value == Decimal("40000.00")
    assert BuildingBlock.objects.filter(kind="bonus").count() == 3
