"""The big downloads stream plain values in pieces: no model objects, the same figures as the
ledger's own read of each transaction."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db.models.signals import post_init

from reports import opendata
from reports.opendata import serialise
from sroi import ledger_selectors as ledger
from sroi import services as sroi_services
from sroi.models import Allocation, Entry, Transaction
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import allocate, bookkeeper, funded

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def ledger_year():
    fund = funded("5000.00")  # 10 January 2025
    initiative = InitiativeFactory()
    for day in (3, 4, 5):
        allocation = allocate(
            fund=fund,
            initiative=initiative,
            amount=Decimal("100.00") * day,
            purpose="Buurtwerk",
            date=datetime.date(YEAR, 3, day),
        )
        sroi_services.disburse(
            allocation=allocation,
            amount="50.00",
            date=datetime.date(YEAR, 4, day),
            actor=bookkeeper(),
        )
    return fund


@pytest.fixture
def model_objects():
    """Every Transaction, Allocation and Entry object made while the fixture is active."""
    made = []

    def seen(sender, **kwargs):
        made.append(sender.__name__)

    for model in (Transaction, Allocation, Entry):
        post_init.connect(seen, sender=model, weak=False)
    yield made
    for model in (Transaction, Allocation, Entry):
        post_init.disconnect(seen, sender=model)


def _download(client, url) -> tuple[list[bytes], list[dict]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    pieces = list(response.streaming_content)
    return pieces, list(csv.DictReader(io.StringIO(b"".join(pieces).decode())))


@pytest.mark.parametrize("name", ["transacties", "toekenningen"])
def test_the_big_downloads_build_no_model_objects(client, ledger_year, model_objects, name):
    # when
    _pieces, rows = _download(client, f"/open-data/{name}.csv?jaar={YEAR}")
    # then
    assert rows
    assert model_objects == []


def test_transaction_rows_carry_the_same_effects_as_the_ledgers_own_read(client, ledger_year):
    transactions = Transaction.objects.filter(date__year=YEAR)
    effects = ledger.transaction_effects(transactions)
    _pieces, rows = _download(client, f"/open-data/transacties.csv?jaar={YEAR}")
    assert [int(row["id"]) for row in rows] == list(
        transactions.order_by("date", "pk").values_list("pk", flat=True)
    )
    for row in rows:
        total, allocated = effects[int(row["id"])]
        assert Decimal(row["wijziging_fondstotaal"]) == total
        assert Decimal(row["wijziging_toegekend"]) == allocated
    # Three allocations and three tranches, each linked to the allocation's decision.
    assert sorted(row["soort"] for row in rows).count("toekenning") == 3
    assert all(row["besluit_referentie"] for row in rows if row["soort"] != "overige_inkomsten")


def test_a_download_comes_in_pieces_of_a_bounded_number_of_rows(client, ledger_year, monkeypatch):
    monkeypatch.setattr(serialise, "ROWS_PER_PIECE", 2)
    pieces, rows = _download(client, f"/open-data/transacties.csv?jaar={YEAR}")
    assert len(rows) == 7
    # The header, then pieces of two rows (the last one may be shorter).
    assert len(pieces) == 1 + 4
    assert all(piece.count(b"\r\n") <= 2 for piece in pieces[1:])
    json_pieces = list(client.get(f"/open-data/transacties.json?jaar={YEAR}").streaming_content)
    assert len(json_pieces) == 1 + 4


def test_the_list_and_the_stream_give_the_same_rows(ledger_year):
    period = opendata.Period(YEAR)
    assert opendata.transaction_rows(period) == list(opendata.stream_transaction_rows(period))
    assert opendata.allocation_rows(period) == list(opendata.stream_allocation_rows(period))
