"""The big downloads stream plain values in pieces: no model objects, the same figures as the
ledger's own read of each transaction."""

import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from freezegun import freeze_time

from accounts import services as accounts
from governance import services as governance
from governance.models import Choice, Decision, Proposal
from reports import opendata
from reports.opendata import rows as opendata_rows
from reports.opendata import serialise
from sroi import ledger_selectors as ledger
from sroi import services as sroi_services
from sroi.models import Allocation, Entry, Transaction
from tests.accounts.factories import UserFactory
from tests.governance.factories import adopted, board, decided, poll, voting
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
    assert sorted(row["soort"] for row in rows).count(Transaction.Kind.ALLOCATION) == 3
    assert all(
        row["besluit_referentie"] for row in rows if row["soort"] != Transaction.Kind.OTHER_INCOME
    )


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


@pytest.fixture
def decisions(area, civil_servant):
    """Decisions of a body and of a poll, one carried out, one decided at 23:30 UTC on New
    Year's Eve (already the next year locally, so its reference and date are of that year).
    Made through the services, the clock stopped at each moment: the database refuses a
    decision its proposal's votes did not make."""
    body = board(community=1, institution=0)[0]
    opened = datetime.datetime(YEAR, 3, 1, 12, tzinfo=datetime.UTC)
    new_years_eve = datetime.datetime(YEAR, 12, 31, 23, tzinfo=datetime.UTC)
    made = []
    with freeze_time(new_years_eve):  # closes at 23:30
        proposal = adopted(voting(body=body, minutes=30, title="Voorstel 0"))
    with freeze_time(new_years_eve + datetime.timedelta(minutes=45)):
        made.append(governance.execute_decision(decision=proposal.decision, actor=civil_servant))
    with freeze_time(opened):
        member = UserFactory()
        accounts.verify_member(user=member, area=area, actor=civil_servant)
        proposal = poll(areas=[area], title="Voorstel 1")
        proposal = decided(proposal, {member: Choice.AGAINST})
        made.append(proposal.decision)
    with freeze_time(opened + datetime.timedelta(days=1)):
        made.append(adopted(voting(body=body, title="Voorstel 2")).decision)
    return made


@pytest.mark.travels_in_time
def test_decision_rows_are_read_as_values_and_match_the_row_of_each_decision(decisions):
    # given the rows as made from each model object (the API's path)
    with translation.override("nl"):
        expected = [opendata.decision_row(d) for d in opendata.public_decisions()]
    made = []

    def seen(sender, **kwargs):
        made.append(sender.__name__)

    post_init.connect(seen, sender=Decision, weak=False)
    post_init.connect(seen, sender=Proposal, weak=False)
    try:
        # when the download's stream makes them, in English around it
        with translation.override("en"):
            rows = list(opendata.stream_decision_rows(opendata.Period(None)))
    finally:
        post_init.disconnect(seen, sender=Decision)
        post_init.disconnect(seen, sender=Proposal)
    # then the same rows, in Dutch, and no model objects
    assert rows == expected
    assert made == []
    assert len(rows) == 3
    new_year = next(row for row in rows if row["titel"] == "Voorstel 0")
    # The first decision of the next year (locally), numbered in that year.
    assert new_year["referentie"] == f"BK-{YEAR + 1}-0001"
    assert new_year["besloten_op"] == f"{YEAR + 1}-01-01"
    assert new_year["uitgevoerd_op"] == f"{YEAR + 1}-01-01"
    assert [row["orgaan"] is None for row in rows].count(True) == 1
    assert all(row["uitleg"].startswith(("Aangenomen", "Verworpen")) for row in rows), rows


@pytest.mark.travels_in_time
def test_decision_rows_of_a_year_count_the_local_year(decisions):
    assert [r["referentie"] for r in opendata.stream_decision_rows(opendata.Period(YEAR + 1))] == [
        Decision.objects.get(pk=decisions[0].pk).reference
    ]


def test_allocation_rows_carry_the_same_figures_as_the_ledgers_own_read(ledger_year):
    # given a return and a reversed tranche besides the allocations and their tranches
    allocation = Allocation.objects.order_by("pk").first()
    sroi_services.return_unspent(
        allocation=allocation, amount="20.00", date=datetime.date(YEAR, 5, 1), actor=bookkeeper()
    )
    tranche = Transaction.objects.filter(kind=Transaction.Kind.DISBURSEMENT).order_by("pk").last()
    sroi_services.reverse_transaction(
        transaction=tranche, reason="Dubbel", actor=bookkeeper(), date=datetime.date(YEAR, 6, 1)
    )
    period = opendata.Period(YEAR)
    figures = ledger.allocation_figures(Allocation.objects.all(), until=period.as_of)
    # when
    rows = list(opendata.stream_allocation_rows(period))
    # then
    assert len(rows) == 3
    for row in rows:
        found = figures[row["id"]]
        assert (row["open"], row["uitbetaald"], row["teruggestort"]) == (
            found.open,
            found.paid,
            found.returned,
        )
    assert {row["teruggestort"] for row in rows} == {Decimal("0.00"), Decimal("20.00")}
    assert sorted(row["uitbetaald"] for row in rows) == [Decimal("0.00"), *[Decimal("50.00")] * 2]


def test_the_allocations_download_streams_one_query_read_by_an_iterator(
    client, ledger_year, monkeypatch
):
    # given: no dictionary of every allocation's figures, and a record of chunked reads
    monkeypatch.setattr(ledger, "allocation_figures", None)
    chunked = []
    real_iterator = QuerySet.iterator

    def iterator(queryset, chunk_size=None):
        chunked.append((queryset.model.__name__, chunk_size))
        return real_iterator(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", iterator)
    response = client.get(f"/open-data/toekenningen.csv?jaar={YEAR}")
    assert response.streaming
    assert isinstance(response.streaming_content, Iterator)
    # when the body is read piece by piece
    with CaptureQueriesContext(connection) as queries:
        pieces = list(response.streaming_content)
    # then one query, read in chunks, for all rows
    assert len(queries) == 1
    assert chunked == [("Allocation", opendata_rows.CHUNK)]
    assert b"".join(pieces).count(b"\r\n") == 1 + 3
