"""An allocation paid in full but not yet closed is `paid_in_full`, not `open`, wherever the
public reads its state: open data (CSV, JSON, description), the API and a new annex; a frozen
annex keeps what it said (review 2026-12-06, finding 9)."""

import csv
import datetime
import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from freezegun import freeze_time

from reports import services
from sroi import services as sroi_services
from sroi.models import Allocation, AllocationState, allocation_state
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import allocate, bookkeeper, funded

pytestmark = pytest.mark.django_db

# Per initiative: granted, then paid out, and whether it is closed; and the state the public reads.
CASES = {
    "deels-betaald": ("400.00", "100.00", False, "open"),
    "alles-betaald": ("200.00", "200.00", False, "paid_in_full"),
    "afgesloten": ("100.00", "100.00", True, "closed"),
}
EXPECTED = {slug: case[3] for slug, case in CASES.items()}


def _three_allocations(day=datetime.date(2025, 3, 1)) -> dict[str, Allocation]:
    fund = funded("1000.00")  # 10 January 2025
    actor = bookkeeper()
    made = {}
    for slug, (granted, paid, closed, _state) in CASES.items():
        initiative = InitiativeFactory(slug=slug, name=slug.replace("-", " ").title())
        allocation = allocate(
            fund=fund, initiative=initiative, amount=granted, purpose="Buurtwerk", date=day
        )
        sroi_services.disburse(allocation=allocation, amount=paid, date=day, actor=actor)
        if closed:
            sroi_services.close_allocation(allocation=allocation, actor=actor, date=day)
        made[slug] = allocation
    return made


def _rows_csv(body: bytes) -> dict[str, dict]:
    return {row["initiatief_slug"]: row for row in csv.DictReader(io.StringIO(body.decode()))}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- one derivation ----------------------------------------------------------------------------


def test_the_state_comes_from_the_status_and_the_money_still_open():
    assert allocation_state("open", Decimal("0.01")) == AllocationState.OPEN
    assert allocation_state("open", Decimal("0.00")) == AllocationState.PAID_IN_FULL
    assert allocation_state("open", None) == AllocationState.OPEN  # not counted: as stored
    assert allocation_state("closed", Decimal("0.00")) == AllocationState.CLOSED
    assert allocation_state("cancelled", Decimal("0.00")) == AllocationState.CANCELLED
    # every stored status is a state of its own, with the same code
    assert {str(s) for s in Allocation.Status} <= {str(s) for s in AllocationState}


# --- open data ---------------------------------------------------------------------------------


@freeze_time("2025-06-15 10:00:00+00:00")
def test_open_data_says_paid_in_full_for_an_open_allocation_with_nothing_left(client):
    _three_allocations()
    rows = _rows_csv(_body(client.get("/open-data/toekenningen.csv", {"jaar": 2025})))
    assert {slug: row["status"] for slug, row in rows.items()} == EXPECTED
    assert (rows["alles-betaald"]["open"], rows["deels-betaald"]["open"]) == ("0.00", "300.00")
    data = json.loads(_body(client.get("/open-data/toekenningen.json", {"jaar": 2025})))
    assert {row["initiatief_slug"]: row["status"] for row in data["rows"]} == EXPECTED


@freeze_time("2026-02-01 10:00:00+00:00")
def test_a_year_says_the_state_on_its_last_day(client):
    # given an allocation of December 2025, half paid then, the rest in January 2026
    fund, actor = funded("1000.00"), bookkeeper()
    day = datetime.date(2025, 12, 1)
    allocation = allocate(
        fund=fund, initiative=InitiativeFactory(), amount="400.00", purpose="Buurtwerk", date=day
    )
    sroi_services.disburse(allocation=allocation, amount="200.00", date=day, actor=actor)
    sroi_services.disburse(
        allocation=allocation, amount="200.00", date=datetime.date(2026, 1, 5), actor=actor
    )
    # then 2025's file says open (200 open on 31 December), all years' paid in full
    [in_2025] = _rows_csv(_body(client.get("/open-data/toekenningen.csv", {"jaar": 2025}))).values()
    assert (in_2025["status"], in_2025["open"]) == ("open", "200.00")
    [now] = _rows_csv(_body(client.get("/open-data/toekenningen.csv", {"jaar": "alle"}))).values()
    assert (now["status"], now["open"]) == ("paid_in_full", "0.00")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", "'paid_in_full' (alles betaald, nog afsluiten"),
        ("en", "'paid_in_full' (all paid out, but not yet closed"),
    ],
)
def test_the_description_of_the_status_column_names_paid_in_full(client, language, words):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    text = client.get("/open-data/toekenningen.txt").content.decode()
    assert words in text
    columns = json.loads(_body(client.get("/open-data/toekenningen.json")))["columns"]
    [status] = [c for c in columns if c["name"] == "status"]
    assert words in status["description"]


# --- the API -----------------------------------------------------------------------------------


@freeze_time("2025-06-15 10:00:00+00:00")
def test_the_api_says_paid_in_full_as_open_data_does(client):
    made = _three_allocations()
    body = client.get("/api/v1/toekenningen").json()
    found = {row["initiatief_slug"]: row["status"] for row in body["results"]}
    assert found == EXPECTED
    one = client.get(f"/api/v1/toekenningen/{made['alles-betaald'].pk}").json()
    assert (one["status"], one["open"]) == ("paid_in_full", "0.00")


# --- the annex of the annual report ------------------------------------------------------------


def _annex_file(report, name: str = "toekenningen", fmt: str = "csv") -> dict:
    files = report.snapshot["annex"]["files"]
    return next(f for f in files if (f["name"], f["format"]) == (name, fmt))


def _build():
    report = services.request_report(year=2025, language="nl", dispatch=False, actor=None)
    return services.build_report(report_id=report.pk)


def test_a_new_annex_says_paid_in_full_and_a_frozen_one_keeps_what_it_said(client, monkeypatch):
    with freeze_time("2025-06-15 10:00:00+00:00"):
        _three_allocations()
    with freeze_time("2026-01-15 10:00:00+00:00"):
        # given version 1, frozen by the code before this state: the stored status as it was
        with monkeypatch.context() as old_code:
            old_code.setattr(
                "reports.opendata.rows.ledger.allocation_state",
                lambda status, _open, **_on_a_day: AllocationState(status),
            )
            first = _build()
        # when version 2 is made now
        second = _build()
    # then version 1's annex is served byte for byte as frozen, with its checksum
    found = _annex_file(first)
    with default_storage.open(found["path"], "rb") as handle:
        frozen = handle.read()
    served = _body(client.get("/rapporten/2025/nl/v1/bijlage/toekenningen.csv"))
    assert served == frozen and hashlib.sha256(served).hexdigest() == found["sha256"]
    assert _rows_csv(served)["alles-betaald"]["status"] == "open"
    # and version 2's annex (CSV and JSON) says paid in full
    newer = _rows_csv(_body(client.get("/rapporten/2025/nl/v2/bijlage/toekenningen.csv")))
    assert {slug: row["status"] for slug, row in newer.items()} == EXPECTED
    data = json.loads(_body(client.get("/rapporten/2025/nl/v2/bijlage/toekenningen.json")))
    assert {row["initiatief_slug"]: row["status"] for row in data["rows"]} == EXPECTED
    assert (first.version, second.version) == (1, 2)


# --- a year's file: the state on its reference date ------------------------------------------


def _closed_next_year() -> dict[str, Allocation]:
    """Two allocations of 2025 closed in 2026: one with € 300 still open at the end of 2025
    (released when it was closed), one paid in full in 2025."""
    made, day = {}, datetime.date(2025, 3, 1)
    with freeze_time("2025-03-01 10:00:00+00:00"):
        fund = funded("1000.00")
        actor = bookkeeper()
        for slug, paid in (("deels-betaald", "100.00"), ("alles-betaald", "400.00")):
            initiative = InitiativeFactory(slug=slug, name=slug.replace("-", " ").title())
            made[slug] = allocate(
                fund=fund, initiative=initiative, amount="400.00", purpose="Buurtwerk", date=day
            )
            sroi_services.disburse(allocation=made[slug], amount=paid, date=day, actor=actor)
    with freeze_time("2026-02-10 10:00:00+00:00"):
        for allocation in made.values():
            sroi_services.close_allocation(allocation=allocation, actor=actor)
    return made


@freeze_time("2026-03-01 10:00:00+00:00")
def test_a_years_file_gives_the_state_on_its_reference_date_not_today(client):
    """Old code: the 2025 file said `closed` next to `open=300.00` at 31 December 2025, though
    the allocations were closed in February 2026."""
    _closed_next_year()
    rows = _rows_csv(_body(client.get("/open-data/toekenningen.csv", {"jaar": 2025})))
    assert rows["deels-betaald"]["peildatum"] == "2025-12-31"
    assert (rows["deels-betaald"]["status"], rows["deels-betaald"]["open"]) == ("open", "300.00")
    assert (rows["alles-betaald"]["status"], rows["alles-betaald"]["open"]) == (
        "paid_in_full",
        "0.00",
    )
    today = _rows_csv(_body(client.get("/open-data/toekenningen.csv", {"jaar": "alle"})))
    assert {slug: row["status"] for slug, row in today.items()} == {
        "deels-betaald": "closed",
        "alles-betaald": "closed",
    }
    assert today["deels-betaald"]["open"] == "0.00"


def test_on_a_day_a_closed_allocation_with_money_open_was_open():
    day = datetime.date(2025, 12, 31)
    assert allocation_state("closed", Decimal("5.00"), as_of=day) == AllocationState.OPEN
    assert allocation_state("cancelled", Decimal("5.00"), as_of=day) == AllocationState.OPEN
    later = datetime.date(2026, 1, 2)
    closed_later = allocation_state("closed", Decimal("0"), as_of=day, settled_on=later)
    assert closed_later == AllocationState.PAID_IN_FULL
    assert allocation_state("closed", Decimal("0"), as_of=day, settled_on=day) == (
        AllocationState.CLOSED
    )
