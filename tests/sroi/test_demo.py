"""The demo scenario's social return, and the catalogue that survives a database flush."""

from decimal import Decimal

import pytest
from django.core.management import call_command

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
    call_command("seed_demo", verbosity=0)
    museum = selectors.contract_detail(
        Contract.objects.get(title="Bouw Nationaal Slavernijmuseum").pk
    )
    assert museum.obligation == Decimal("5000000.00")
    statuses = set(museum.realisations.values_list("status", flat=True))
    assert statuses == {"geverifieerd", "afgewezen", "geclaimd"}
    assert museum.realisations.get(status="afgewezen").rejection_reason
    assert museum.paid_in_cash == Decimal("250000.00")
    fund = Fund.objects.get(name=demo.FUND_NAME)
    summary = selectors.fund_summary(fund)
    assert summary.balance == Decimal("260000.00")  # 250k + 50k top-up − 40k tranche
    assert summary.allocated == Decimal("80000.00")
    allocation = Allocation.objects.get()
    assert allocation.initiative.slug == "community-home-24-7"
    assert allocation.decision_reference
    counts = (
        Contract.objects.count(),
        Realisation.objects.count(),
        Transaction.objects.count(),
        Entry.objects.count(),
    )

    call_command("seed_demo", verbosity=0)
    assert counts == (
        Contract.objects.count(),
        Realisation.objects.count(),
        Transaction.objects.count(),
        Entry.objects.count(),
    )


@pytest.mark.django_db
def test_demo_without_initiatives_skips_the_allocation():
    messages = []
    demo.seed(messages.append)
    assert not Allocation.objects.exists()
    assert any("skipped" in message for message in messages)


@pytest.mark.django_db(transaction=True)
def test_the_utrecht_catalogue_is_loaded_again_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    catalogue = BlockCatalogue.objects.get()
    assert "utrecht.nl" in catalogue.source
    assert BuildingBlock.objects.filter(catalogue=catalogue).count() == 14
    assert BuildingBlock.objects.get(code="participatiewet").value == Decimal("40000.00")
    assert BuildingBlock.objects.filter(kind="bonus").count() == 3
