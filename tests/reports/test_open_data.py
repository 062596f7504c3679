"""Open data at /open-data/: every dataset as CSV and JSON, 360Giving and OCDS, no personal data."""

import csv
import datetime
import io
import itertools
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from accounts.models import Role, User
from governance import services as governance_services
from governance import tally
from initiatives.models import Classification
from initiatives.tabular import PUBLIC_COLUMNS
from reports import opendata
from sroi import services as sroi_services
from sroi.models import Contract, CorrectionReason, Realisation, TargetGroup, Transaction
from tests.accounts.factories import UserFactory
from tests.governance.factories import adopted, allocation_fields, board, voting
from tests.initiatives.factories import InitiativeFactory
from tests.roles import ACCOUNT_ROLES
from tests.sroi.factories import (
    ContractFactory,
    ContractorFactory,
    adopted_decision,
    allocate,
    block,
    bookkeeper,
    funded,
)

# The whole module runs on 15 June 2026 (`_frozen`), its votes too (tests/at_commit.py).
pytestmark = [pytest.mark.django_db, pytest.mark.travels_in_time]

YEAR = 2026
PLAIN = list(opendata.DATASETS)
STANDARDS = list(opendata.STANDARDS)
SECRETS = [
    "Piet Geheim",
    "piet@geheim.example",
    "0612345678",
    "Jan de Contactpersoon",
    "jan@bouwbedrijf.example",
    "GEHEIM-007",
    "ambtenaar-qwerty",
    "stemmer-xyzzy",
]


@pytest.fixture(autouse=True)
def _frozen():
    with freeze_time("2026-06-15 10:00:00+00:00"):
        yield


def _leefgebieden(*codes):
    return list(Classification.objects.filter(scheme="leefgebied", code__in=codes))


@pytest.fixture
def world(area):
    """One of everything in 2026 (and a top-up in 2025), with personal data that must not leak."""
    servant = UserFactory(username="ambtenaar-qwerty", roles=[Role.CIVIL_SERVANT])
    voter = UserFactory(username="stemmer-xyzzy")
    fields = allocation_fields("400.00", leefgebieden=_leefgebieden("zorg", "huisvesting"))
    initiative = fields["initiative"]  # "Buurtkeuken"; its contact data must never leak
    initiative.area = area
    initiative.website = "https://buurtkeuken.example"
    initiative.contact_name = "Piet Geheim"
    initiative.contact_email = "piet@geheim.example"
    initiative.contact_phone = "0612345678"
    initiative.save()
    initiative.classifications.set(_leefgebieden("werk"))
    fund = fields["fund"]  # € 1.000 from the municipality on 10 January 2025
    body, _voters = board(members=[voter])
    proposal = adopted(voting(title="Keuken voor de buurt", body=body, **fields))
    decision = governance_services.execute_decision(decision=proposal.decision, actor=servant)
    allocation = decision.allocation
    today = datetime.date(YEAR, 6, 15)
    sroi_services.disburse(allocation=allocation, amount="100.00", date=today, actor=servant)
    sroi_services.return_unspent(allocation=allocation, amount="30.00", date=today, actor=servant)
    contractor = ContractorFactory(name="Bouwbedrijf Noord B.V.", kvk_number="12345678")
    contract = ContractFactory(reference="AMS-1", title="Bouw museum", contractor=contractor)
    realisation = sroi_services.claim_realisation(
        contract=contract,
        block=block("ww"),
        target_group=TargetGroup.UNEMPLOYMENT,
        person_reference="GEHEIM-007",
        start_date=datetime.date(2025, 2, 1),
        months=Decimal("6"),
        hours_per_week=Decimal("36"),
        actor=servant,
    )
    # Four eyes: a colleague verifies what the servant recorded.
    colleague = UserFactory(username="collega-qwerty", roles=[Role.CIVIL_SERVANT])
    sroi_services.verify_realisation(realisation=realisation, actor=colleague)
    sroi_services.record_contribution(
        fund=fund, contract=contract, amount="1000.00", date=today, actor=servant
    )
    realisation.refresh_from_db()
    decision.refresh_from_db()
    return {
        "fund": fund,
        "initiative": initiative,
        "allocation": allocation,
        "decision": decision,
        "contract": contract,
        "realisation": realisation,
    }


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _csv(client, name, year=YEAR) -> list[dict]:
    response = client.get(f"/open-data/{name}.csv", {"jaar": year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(_text(response))))


def _json(client, name, year=YEAR) -> dict:
    response = client.get(f"/open-data/{name}.json", {"jaar": year})
    assert response.status_code == 200, _text(response)
    return json.loads(_text(response), parse_float=Decimal)


# --- Who may download --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    "url",
    [
        "/open-data/",
        "/open-data/transacties.csv",
        "/open-data/fondsen.csv?jaar=alle",
        "/open-data/besluiten.json",
        "/open-data/initiatieven.txt",
        "/open-data/toekenningen-360giving.json?jaar=2026",
        "/open-data/contracten-ocds.json?jaar=2026",
    ],
)
def test_open_data_is_public_for_every_role(client, user_for_role, world, role, url):
    user = user_for_role(role)
    if user:
        client.force_login(user)
    assert client.get(url).status_code == 200


def test_unknown_datasets_and_bad_years_are_refused(client, world):
    assert client.get("/open-data/wachtwoorden.csv").status_code == 404
    assert client.get("/open-data/toekenningen-360giving.csv").status_code == 404
    assert client.get("/open-data/contracten.csv", {"jaar": "vorig"}).status_code == 400
    # the standards need at least one grant or release, so an empty year has no package
    assert client.get("/open-data/toekenningen-360giving.json?jaar=2019").status_code == 404


# --- The page ----------------------------------------------------------------------------------


def test_the_page_lists_every_dataset_with_columns_years_formats_and_licence(client, world):
    page = client.get("/open-data/").content.decode()
    assert opendata.LICENSE_URL in page
    for name, dataset in opendata.DATASETS.items():
        assert f'id="{name}"' in page
        assert f"/open-data/{name}.csv?jaar=2026" in page
        assert f"/open-data/{name}.json?jaar=2026" in page
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page
    for name in opendata.STANDARDS:
        assert f"/open-data/{name}.json?jaar=2026" in page
    assert "/open-data/transacties.csv?jaar=2025" in page  # the 2025 top-up


def test_every_column_has_a_description_and_the_register_reuses_the_public_columns():
    for dataset in opendata.DATASETS.values():
        assert len(set(dataset.column_names)) == len(dataset.columns)
        assert all(str(column.description).strip() for column in dataset.columns)
    assert opendata.DATASETS["initiatieven"].column_names == [*PUBLIC_COLUMNS, "geregistreerd_op"]


def test_a_csv_is_pure_csv_and_says_its_licence_and_description_in_headers(client, world):
    response = client.get("/open-data/contracten.csv?jaar=2026")
    text = _text(response)
    assert text.startswith("referentie,titel,")  # no BOM, no comment line
    assert opendata.LICENSE_URL in response["Link"] and 'rel="license"' in response["Link"]
    assert "/open-data/contracten.txt" in response["Link"]
    assert 'filename="contracten-2026.csv"' in response["Content-Disposition"]
    description = _text(client.get("/open-data/contracten.txt"))
    assert "CC0 1.0" in description
    for column in opendata.DATASETS["contracten"].columns:
        assert f"- {column.name}: " in description


@pytest.mark.parametrize("name", PLAIN)
def test_json_says_licence_date_year_and_the_meaning_of_each_column(client, world, name):
    data = _json(client, name)
    assert data["license"]["url"] == opendata.LICENSE_URL
    assert data["year"] == YEAR
    assert datetime.datetime.fromisoformat(data["issued"])
    assert [c["name"] for c in data["columns"]] == opendata.DATASETS[name].column_names
    assert all(c["description"] for c in data["columns"])
    assert data["rows"], name
    assert list(data["rows"][0]) == opendata.DATASETS[name].column_names


@pytest.mark.parametrize("name", PLAIN)
def test_csv_and_json_hold_the_same_rows(client, world, name):
    rows = _csv(client, name)
    data = _json(client, name)
    assert len(rows) == len(data["rows"])
    for flat, row in zip(rows, data["rows"], strict=True):
        assert flat == {key: opendata.csv_cell(value) for key, value in row.items()}


# --- The figures -------------------------------------------------------------------------------


def test_the_register_defaults_to_all_years_and_a_year_filters_on_registration(client, world):
    rows = list(csv.DictReader(io.StringIO(_text(client.get("/open-data/initiatieven.csv")))))
    assert [r["slug"] for r in rows] == ["buurtkeuken"]
    row = rows[0]
    assert row["gebied"] == "Bijlmer-Centrum"
    assert row["geregistreerd_op"] == "2026-06-15"
    assert row["website"] == "https://buurtkeuken.example"
    assert _csv(client, "initiatieven", 2025) == []


def test_transactions_have_one_row_each_with_the_effect_on_the_fund(client, world):
    rows = {r["soort"]: r for r in _csv(client, "transacties")}
    assert set(rows) == {
        Transaction.Kind.ALLOCATION,
        Transaction.Kind.DISBURSEMENT,
        Transaction.Kind.RETURN,
        Transaction.Kind.SROI_CONTRIBUTION,
    }
    allocation = world["allocation"]
    assert rows[Transaction.Kind.ALLOCATION]["bedrag"] == "400.00"  # moved to "allocated"
    assert rows[Transaction.Kind.ALLOCATION]["wijziging_fondstotaal"] == "0.00"
    assert rows[Transaction.Kind.ALLOCATION]["besluit_referentie"] == world["decision"].reference
    assert rows[Transaction.Kind.ALLOCATION]["toekenning_id"] == str(allocation.pk)
    assert rows[Transaction.Kind.DISBURSEMENT]["bedrag"] == "-100.00"
    assert rows[Transaction.Kind.DISBURSEMENT]["wijziging_toegekend"] == "-100.00"
    assert rows[Transaction.Kind.RETURN]["bedrag"] == "30.00"
    assert rows[Transaction.Kind.RETURN]["initiatief_slug"] == "buurtkeuken"
    assert rows[Transaction.Kind.SROI_CONTRIBUTION]["bedrag"] == "1000.00"
    assert rows[Transaction.Kind.SROI_CONTRIBUTION]["contract_referentie"] == "AMS-1"
    # the default is last year: only the municipal top-up of 10 January 2025
    response = client.get("/open-data/transacties.csv")
    last_year = list(csv.DictReader(io.StringIO(_text(response))))
    assert [(r["soort"], r["bedrag"], r["datum"]) for r in last_year] == [
        (Transaction.Kind.OTHER_INCOME, "1000.00", "2025-01-10")
    ]


def test_a_reversal_is_a_row_of_its_own_that_points_at_what_it_undoes(client, world):
    income = sroi_services.record_other_income(
        fund=world["fund"],
        amount="50.00",
        date=datetime.date(YEAR, 6, 1),
        description="Gift",
        actor=None,
    )
    sroi_services.reverse_transaction(
        transaction=income,
        reason="Per ongeluk twee keer ingevoerd",
        category=CorrectionReason.BOOKED_TWICE,
        actor=bookkeeper(),
    )
    rows = [
        r for r in _csv(client, "transacties") if r["telt_als"] == Transaction.Kind.OTHER_INCOME
    ]
    # the reason published is the Dutch label of its kind, not the civil servant's own words
    assert [(r["soort"], r["bedrag"], r["correctie_van"], r["reden"]) for r in rows] == [
        (Transaction.Kind.OTHER_INCOME, "50.00", "", ""),
        (Transaction.Kind.REVERSAL, "-50.00", str(income.pk), "Dubbel geboekt"),
    ]


def test_allocations_show_what_was_paid_returned_and_is_open(client, world):
    [row] = _csv(client, "toekenningen")
    assert row["bedrag"] == "400.00"
    assert (row["uitbetaald"], row["teruggestort"], row["open"]) == ("100.00", "30.00", "300.00")
    assert row["besluit_referentie"] == world["decision"].reference
    assert row["initiatief_slug"] == "buurtkeuken"
    assert row["peildatum"] == "2026-06-15"


def test_contracts_show_the_obligation_and_its_fulfilment(client, world):
    [row] = _csv(client, "contracten")
    realised = world["realisation"].value
    assert row["verplichting"] == "50000.00"
    assert row["kvk_nummer"] == "12345678"
    assert row["geverifieerd_in_natura"] == f"{realised:.2f}"
    assert row["betaald_in_geld"] == "1000.00"
    assert row["resterend"] == f"{Decimal('49000.00') - realised:.2f}"
    assert (row["soort_verplichting"], row["status"]) == (
        Contract.ObligationKind.RESULT,
        Contract.Status.RUNNING,
    )
    # at the end of 2025 nothing was verified or paid yet
    [last_year] = _csv(client, "contracten", 2025)
    assert (last_year["geverifieerd_in_natura"], last_year["betaald_in_geld"]) == ("0.00", "0.00")
    assert last_year["peildatum"] == "2025-12-31"


def test_realisations_carry_no_person_reference_at_all(client, world):
    # one placed person: not a row of its own, only the contract's total in the row 'overig'
    [row] = _csv(client, "realisaties")
    assert [column for column in row if "referentie" in column] == ["contract_referentie"]
    assert "person_reference" not in row and "GEHEIM-007" not in " ".join(row.values())
    assert row["contract_referentie"] == "AMS-1"
    assert (row["bouwblok_code"], row["doelgroep"], row["personen"]) == ("", "", "")
    assert row["overig"] == "true"
    assert row["waarde"] == f"{world['realisation'].value:.2f}"


def test_decisions_show_the_tally_as_numbers(client, world):
    [row] = _json(client, "besluiten")["rows"]
    result = world["decision"].result
    assert row["referentie"] == world["decision"].reference
    assert (row["voor"], row["tegen"], row["onthouding"]) == (
        result.voor,
        result.tegen,
        result.onthouding,
    )
    assert row["kiesgerechtigden"] == result.electorate == 6
    assert row["gemeenschap_voor"] == result.community_voor == 4
    assert row["uitkomst"] == tally.ADOPTED
    assert row["toekenning_id"] == world["allocation"].pk


def test_no_personal_data_in_any_download(client, world, civil_servant, community_member):
    texts = []
    for name in PLAIN:
        for year in (YEAR, "alle"):
            texts.append(_text(client.get(f"/open-data/{name}.csv", {"jaar": year})))
            texts.append(_text(client.get(f"/open-data/{name}.json", {"jaar": year})))
        texts.append(_text(client.get(f"/open-data/{name}.txt")))
    for name in STANDARDS:
        texts.append(_text(client.get(f"/open-data/{name}.json", {"jaar": YEAR})))
    texts.append(client.get("/open-data/").content.decode())
    everything = "\n".join(texts)
    for secret in SECRETS:
        assert secret not in everything
    for username in User.objects.values_list("username", flat=True):
        assert not re.search(rf"\b{re.escape(username)}\b", everything), username


# --- Exact numbers -----------------------------------------------------------------------------


def test_decimals_become_exact_json_numbers_without_float_rounding():
    text = opendata.dumps({"a": Decimal("12345678901234.10"), "b": Decimal("-0.05"), "c": "x"})
    assert text == '{"a": 12345678901234.10, "b": -0.05, "c": "x"}'
    assert json.loads(text, parse_float=Decimal)["a"] == Decimal("12345678901234.10")


# --- 360Giving ---------------------------------------------------------------------------------
# No PyPI package ships the 360Giving or OCDS JSON schemas (ocdskit, libcoveocds, ocdsmerge,
# libcove and flattentool fetch them at run time), and this suite runs offline, so these tests
# check what the schemas require, field by field, as OPEN-DATA.md lists it: 360Giving 1.4.3
# (grant: id, title < 140, description, currency, amountAwarded, awardDate, fundingOrganization,
# and recipientOrganization or recipientIndividual; organisations: id and name; package:
# grants with at least one item) and OCDS 1.1.5 (package: uri, publisher, publishedDate,
# releases, version; release: ocid, id, date, tag, initiationType; contract: id, awardID).

DATE = re.compile(r"^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$")


def _is_date_time(value) -> bool:
    return isinstance(value, str) and "T" in value and datetime.datetime.fromisoformat(value)


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _check_organisations(organisations):
    assert isinstance(organisations, list) and organisations
    for organisation in organisations:
        assert isinstance(organisation["id"], str) and organisation["id"]
        assert isinstance(organisation["name"], str) and organisation["name"]


def test_allocations_as_a_360giving_package(client, world):
    package = _json(client, "toekenningen-360giving")
    assert isinstance(package["grants"], list) and len(package["grants"]) >= 1
    assert package["license"] == opendata.LICENSE_URL
    assert re.fullmatch(r"\d+\.\d+", package["version"])
    assert package["publisher"]["name"]
    for grant in package["grants"]:
        for key in ("id", "title", "description", "currency", "awardDate"):
            assert isinstance(grant[key], str) and grant[key], key
        assert len(grant["title"]) < 140
        assert grant["currency"] == "EUR"
        assert _is_number(grant["amountAwarded"]) and _is_number(grant["amountDisbursed"])
        assert DATE.match(grant["awardDate"])
        _check_organisations(grant["fundingOrganization"])
        _check_organisations(grant["recipientOrganization"])
        assert "recipientIndividual" not in grant
        for location in grant["beneficiaryLocation"]:
            assert location["countryCode"] == "NL" and location["name"]
        for classification in grant["classifications"]:
            assert {"vocabulary", "code", "title"} <= set(classification)
    [grant] = package["grants"]
    allocation = world["allocation"]
    assert grant["id"] == f"360G-burgerkracht-{allocation.pk}"
    assert grant["amountAwarded"] == Decimal("400.00")
    assert grant["amountDisbursed"] == Decimal("100.00")
    assert grant["awardDate"] == "2026-06-15"
    assert grant["recipientOrganization"] == [
        {
            "id": "burgerkracht-initiatief-buurtkeuken",
            "name": "Buurtkeuken",
            "url": "https://buurtkeuken.example",
        }
    ]
    assert grant["fundingOrganization"][0]["id"] == f"burgerkracht-fonds-{world['fund'].slug}"
    assert grant["beneficiaryLocation"] == [{"name": "Bijlmer-Centrum", "countryCode": "NL"}]
    # the decision's leefgebieden, not the initiative's ("werk")
    assert {c["code"] for c in grant["classifications"]} == {"zorg", "huisvesting"}


def test_amounts_in_the_standards_are_json_numbers_in_the_text(client, world):
    text = _text(client.get("/open-data/toekenningen-360giving.json?jaar=2026"))
    assert '"amountAwarded": 400.00' in text


# --- Open Contracting --------------------------------------------------------------------------


def test_contracts_as_an_ocds_release_package(client, world):
    package = _json(client, "contracten-ocds")
    for key in ("uri", "publisher", "publishedDate", "releases", "version"):
        assert package[key], key
    assert package["version"] == "1.1"
    assert package["publisher"]["name"]
    assert _is_date_time(package["publishedDate"])
    assert package["uri"].endswith("/open-data/contracten-ocds.json?jaar=2026")
    [release] = package["releases"]
    for key in ("ocid", "id", "date", "tag", "initiationType"):
        assert release[key], key
    assert release["ocid"] == "ocds-burgerkracht-AMS-1"
    assert release["initiationType"] == "tender"
    assert _is_date_time(release["date"])
    assert set(release["tag"]) <= {"award", "contract", "contractUpdate"}
    parties = {party["roles"][0]: party for party in release["parties"]}
    assert parties["buyer"]["id"] == release["buyer"]["id"]
    assert parties["supplier"]["identifier"] == {
        "scheme": "NL-KVK",
        "id": "12345678",
        "legalName": "Bouwbedrijf Noord B.V.",
    }
    [award] = release["awards"]
    [contract] = release["contracts"]
    assert contract["awardID"] == award["id"] and contract["id"] == "AMS-1"
    assert award["suppliers"] == [
        {"id": parties["supplier"]["id"], "name": "Bouwbedrijf Noord B.V."}
    ]
    assert contract["value"] == {"amount": Decimal("1000000.00"), "currency": "EUR"}
    assert contract["status"] in {"pending", "active", "cancelled", "terminated"}
    assert _is_date_time(contract["period"]["startDate"])
    assert _is_date_time(contract["period"]["endDate"])
    [milestone] = contract["implementation"]["milestones"]
    assert milestone["id"] and milestone["code"] == "social-return"
    assert milestone["type"] == "delivery"
    assert milestone["status"] == "scheduled"
    assert "EUR 50000.00" in milestone["description"]
    assert "EUR 1000.00 in geld" in milestone["description"]
    assert _is_date_time(milestone["dueDate"])


def test_a_release_of_a_later_year_is_a_contract_update_with_a_new_id(client, world):
    [this_year] = _json(client, "contracten-ocds")["releases"]
    [last_year] = _json(client, "contracten-ocds", 2025)["releases"]
    assert this_year["ocid"] == last_year["ocid"]
    assert this_year["id"] != last_year["id"]
    assert last_year["tag"] == ["award", "contract"]
    milestone = last_year["contracts"][0]["implementation"]["milestones"][0]
    assert "EUR 0.00 in geld" in milestone["description"]


# --- Queries do not grow with the data ---------------------------------------------------------


_references = itertools.count(1)


def _add_rows(count: int, area, fund) -> None:
    """`count` more rows in every dataset for 2026: each initiative gets an allocation that
    carries out an adopted decision, and a second adopted decision not yet carried out (real
    polls counted directly, `adopted_decision`: PostgreSQL refuses a decision without votes)."""
    for _ in range(count):
        initiative = InitiativeFactory(area=area, classes=[("leefgebied", "werk")])
        contract = ContractFactory()
        realisation = sroi_services.claim_realisation(
            contract=contract,
            block=block("ww"),
            target_group=TargetGroup.UNEMPLOYMENT,
            person_reference=f"P-{next(_references)}",
            start_date=datetime.date(YEAR, 1, 1),
            months=Decimal("1"),
            hours_per_week=Decimal("36"),
            actor=None,
        )
        sroi_services.verify_realisation(realisation=realisation, actor=None)
        sroi_services.record_contribution(
            fund=fund, contract=contract, amount="10.00", date=datetime.date(YEAR, 2, 1), actor=None
        )
        allocate(
            fund=fund,
            initiative=initiative,
            amount=Decimal("5.00"),  # a string would make the factory's decision of 0.01
            purpose="Iets",
            decision_reference="BK-test",
            date=datetime.date(YEAR, 3, 1),
            actor=bookkeeper(),
        )
        adopted_decision(
            fund=fund, initiative=initiative, amount=Decimal("5.00"), on=datetime.date(YEAR, 3, 1)
        )


URLS = [
    *(f"/open-data/{name}.{fmt}?jaar=2026" for name in PLAIN for fmt in ("csv", "json")),
    *(f"/open-data/{name}.json?jaar=2026" for name in STANDARDS),
    "/open-data/",
]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        _text(response)  # the streamed body is part of the download
    assert response.status_code == 200
    return len(queries)


def test_a_download_takes_the_same_few_queries_for_10_and_200_rows(
    client, area, django_assert_max_num_queries
):
    fund = funded("10000.00")
    _add_rows(10, area, fund)
    few = {url: _queries(client, url) for url in URLS}
    _add_rows(190, area, fund)
    assert Realisation.objects.count() == 200
    for url in URLS:
        with django_assert_max_num_queries(10):
            response = client.get(url)
            body = _text(response)
        if url.endswith("csv?jaar=2026") and "/fondsen." not in url:  # fondsen: a row per fund
            assert body.count("\n") >= 201, url
        assert _queries(client, url) == few[url], url
