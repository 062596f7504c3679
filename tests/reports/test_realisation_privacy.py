"""No public output shows a placed person: open data (CSV, JSON), the public contract page, the
annual report (page, PDF's HTML), its annex and the API publish realisations only in groups of at
least OPEN_DATA_MIN_COUNT persons, and their values still add up (journalist's review of
2026-12-06, finding 2; `sroi.disclosure`, docs/privacy-open-data.md)."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from reports import services
from reports.rendering import render_print_html
from reports.snapshot import load
from sroi.models import Realisation, TargetGroup
from tests.sroi.factories import ContractFactory, ContractorFactory, funded
from tests.sroi.test_disclosure import placements

pytestmark = pytest.mark.django_db

YEAR = 2025
D = Decimal
PER_PERSON_COLUMNS = {
    "id",
    "startdatum",
    "einddatum",
    "maanden",
    "uren_per_week",
    "bonussen",
    "geverifieerd_op",
    "person_reference",
}
SENSITIVE = ("Nazaten van het slavernijverleden", "descendants", "disability_benefit")


@pytest.fixture
def site():
    """A contract with 6 students on mbo BBL, 5 on WW, one descendant of the slavery past on
    mbo BBL and one person on a disability benefit on WIA, all verified in 2025."""
    contractor = ContractorFactory(name="Bouwbedrijf Zuid B.V.")
    contract = ContractFactory(reference="AMS-2024-0001", contractor=contractor)
    placements(contract, "mbo-bbl", TargetGroup.STUDENT, 6)
    placements(contract, "ww", TargetGroup.UNEMPLOYMENT, 5, value="2000.00")
    placements(contract, "mbo-bbl", TargetGroup.DESCENDANTS, 1, value="62144.44")
    placements(contract, "wia-wao", TargetGroup.DISABILITY, 1, value="40000.00")
    return contract


def _verified_total() -> Decimal:
    return sum(
        Realisation.objects.filter(status=Realisation.Status.VERIFIED).values_list(
            "value", flat=True
        ),
        D(0),
    )


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("year", [str(YEAR), "alle"])
def test_open_data_realisations_are_groups_of_enough_persons_that_add_up(client, site, year):
    # when
    text = _body(client.get("/open-data/realisaties.csv", {"jaar": year}))
    rows = list(csv.DictReader(io.StringIO(text)))
    data = json.loads(_body(client.get("/open-data/realisaties.json", {"jaar": year})))
    # then no per-person column is left
    assert not PER_PERSON_COLUMNS & set(rows[0])
    assert not PER_PERSON_COLUMNS & set(data["rows"][0])
    # and no row counts fewer persons than the threshold; the groups of one person are not there
    for row in [*rows, *data["rows"]]:
        assert row["personen"] in ("", None) or int(row["personen"]) >= 5
    assert {row["doelgroep"] for row in rows} == {TargetGroup.STUDENT, ""}
    assert not any(word in text for word in SENSITIVE)
    # and the smallest shown group went to 'overig' too, so it holds at least 5 persons
    [other] = [row for row in rows if row["overig"] == "true"]
    assert int(other["personen"]) == 7
    # and the values add up to everything verified, and to the contract's figure
    assert sum(D(row["waarde"]) for row in rows) == _verified_total() == D("118144.44")
    [contract] = list(
        csv.DictReader(io.StringIO(_body(client.get("/open-data/contracten.csv", {"jaar": year}))))
    )
    assert D(contract["geverifieerd_in_natura"]) == _verified_total()


def test_the_public_contract_page_shows_groups_not_persons(client, site):
    html = client.get(f"/sroi/contracten/{site.pk}/").content.decode()
    assert not any(word in html for word in ("Nazaten van het slavernijverleden", "WIA / WAO"))
    assert 'data-testid="folded"' in html
    table = html[html.index('data-testid="by-block"') :]
    table = table[: table.index("</table>")]
    cells = [cell.split("<", 1)[0] for cell in table.split('utrecht-table__cell--numeric-data">')]
    # the numbers of persons: 6 (mbo BBL students) and 7 in "other"; never 1
    assert "1" not in cells
    assert "6" in cells and "7" in cells


def test_the_staff_page_keeps_every_realisation(client, site, user_for_role):
    client.force_login(user_for_role("civil_servant"))
    html = client.get(f"/sroi/contracten/{site.pk}/beheer/").content.decode()
    assert "Nazaten van het slavernijverleden" in html


def test_the_report_and_its_annex_show_no_group_of_too_few_persons(client, site):
    # given a fund, so that there is a report with an annex
    funded("1000.00")
    # when
    report = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    report = services.build_report(report_id=report.pk)
    # then the report's contract shows mbo BBL for the 6 students only, and the rest as other
    content = load(report.snapshot)
    [contract] = content.contracts
    by_block = {row.block: row.amount for row in contract.in_kind}
    assert by_block == {"mbo BBL niveau 2-4": D("6000.00"), "": D("112144.44")}
    assert "WIA / WAO" not in by_block
    assert contract.in_kind_total == _verified_total()
    for html in (
        render_print_html(content, language="nl"),
        client.get(f"/rapporten/{YEAR}/").content.decode(),
    ):
        assert "WIA / WAO" not in html and "62.144,44" not in html
        assert "Overig: groepen van minder personen, opgeteld" in html
    # and no file of the annex holds realisations or a per-person column
    for found in report.snapshot["annex"]["files"]:
        assert "realisatie" not in found["name"]
        if found["format"] == "csv":
            with default_storage.open(found["path"], "rb") as handle:
                header = handle.readline().decode().strip().split(",")
            assert not (PER_PERSON_COLUMNS - {"id"}) & set(header)
            assert "doelgroep" not in header


def test_the_api_has_no_realisations(client, site):
    schema = client.get("/api/v1/openapi.json").json()
    assert not [path for path in schema["paths"] if "realis" in path]
    response = client.get("/api/v1/contracten")
    assert response.status_code == 200
    text = response.content.decode()
    assert not any(word in text for word in (*SENSITIVE, "doelgroep", "uren_per_week"))
