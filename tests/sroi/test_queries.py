"""The fund overview, a fund page and the contract list keep a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sroi.models import Account, Contract, Entry, Realisation, TargetGroup, Transaction

from .factories import ContractorFactory, block, funded

pytestmark = [
    pytest.mark.django_db,
    # Ledger rows bulk-written without their entries (tests/at_commit.py).
    pytest.mark.rolled_back_only,
]


def make_contracts(count: int) -> None:
    """`count` contracts, each with a verified realisation and a cash contribution to one fund."""
    fund = funded("1000.00")
    contractor = ContractorFactory()
    contracts = Contract.objects.bulk_create(
        Contract(
            reference=f"Q-{i:05d}",
            title=f"Contract {i}",
            department="Inkoop",
            contractor=contractor,
            value=Decimal("1000000.00"),
            obligation=Decimal("50000.00"),
            award_date=datetime.date(2025, 1, 1),
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2027, 12, 31),
            fulfilment_deadline=datetime.date(2027, 12, 31),
        )
        for i in range(count)
    )
    ww = block("ww")
    Realisation.objects.bulk_create(
        Realisation(
            contract=contract,
            block=ww,
            target_group=TargetGroup.UNEMPLOYMENT,
            person_reference=f"P-{contract.pk}",
            start_date=datetime.date(2025, 2, 1),
            months=Decimal("12"),
            hours_per_week=Decimal("36"),
            value=Decimal("20000.00"),
            status=Realisation.Status.VERIFIED,
        )
        for contract in contracts
    )
    accounts = Account.objects.bulk_create(
        Account(kind=Account.Kind.CONTRACT, contract=contract) for contract in contracts
    )
    available = Account.objects.get(fund=fund, kind=Account.Kind.AVAILABLE)
    records = Transaction.objects.bulk_create(
        Transaction(
            fund=fund,
            kind=Transaction.Kind.SROI_CONTRIBUTION,
            date=datetime.date(2025, 1 + i % 12, 1),
            contract=contract,
        )
        for i, contract in enumerate(contracts)
    )
    Entry.objects.bulk_create(
        entry
        for record, account in zip(records, accounts, strict=True)
        for entry in (
            Entry(transaction=record, account=account, amount=Decimal("-100.00")),
            Entry(transaction=record, account=available, amount=Decimal("100.00")),
        )
    )
    return fund


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [10, 1000])
def test_fund_overview_query_count_is_constant(client, count, django_assert_max_num_queries):
    fund = make_contracts(count)
    with django_assert_max_num_queries(12):
        response = client.get("/sroi/")
    assert f"Q-{count - 1:05d}" in response.content.decode()  # every contract in the table
    with django_assert_max_num_queries(10):
        client.get(f"/sroi/fondsen/{fund.slug}/")


@pytest.mark.parametrize("count", [10, 1000])
def test_contract_list_query_count_is_constant(client, count, django_assert_max_num_queries):
    make_contracts(count)
    with django_assert_max_num_queries(5):
        client.get("/sroi/contracten/")
    with django_assert_max_num_queries(5):
        client.get("/sroi/contracten/", {"q": "Contract", "page": 2})


@pytest.mark.parametrize("count", [10, 1000])
def test_staff_pages_query_count_is_constant(
    client, civil_servant, count, django_assert_max_num_queries
):
    fund = make_contracts(count)
    client.force_login(civil_servant)
    with django_assert_max_num_queries(14):
        client.get("/sroi/contracten/achterstand/")
    with django_assert_max_num_queries(20):
        client.get(f"/sroi/fondsen/{fund.slug}/beheer/")


def test_query_counts_do_not_grow_with_data(client):
    fund = make_contracts(10)
    small = [count_queries(client, url) for url in ("/sroi/", "/sroi/contracten/")]
    small.append(count_queries(client, f"/sroi/fondsen/{fund.slug}/"))
    Entry.objects.all()._raw_delete(Entry.objects.db)  # append-only: only the test may clear
    Transaction.objects.all()._raw_delete(Transaction.objects.db)
    Account.objects.all().delete()
    Realisation.objects.all().delete()
    Contract.objects.all().delete()
    fund.delete()
    fund = make_contracts(1000)
    large = [count_queries(client, url) for url in ("/sroi/", "/sroi/contracten/")]
    large.append(count_queries(client, f"/sroi/fondsen/{fund.slug}/"))
    assert large == small
