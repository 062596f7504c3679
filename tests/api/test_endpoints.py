"""The open API: public data only, read-only, paged, filtered, versioned, throttled, documented."""

import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance import services as governance
from governance import tally
from governance.models import Decision, Proposal
from initiatives.models import Initiative
from tests.governance.factories import adopted, allocation_fields, voting
from tests.initiatives.factories import InitiativeFactory
from tests.intake.factories import confirmed_intake
from tests.sroi.factories import ContractFactory, ContractorFactory, funded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # throttling counts live in the cache
    yield
    cache.clear()


def get(client, path: str, **params):
    response = client.get(path, params)
    assert response["API-Version"] == "1.0.0"
    return response


@pytest.fixture
def allocation(civil_servant):
    """An allocation made the one legitimate way: an adopted decision, carried out."""
    proposal = adopted(voting(**allocation_fields("400.00", available="1000.00")))
    decision = governance.execute_decision(decision=proposal.decision, actor=civil_servant)
    return decision.allocation


def test_the_register_lists_public_fields_only_with_paging(client):
    InitiativeFactory.create_batch(3, contact_email="geheim@example.org")
    response = get(client, "/api/v1/initiatieven", pageSize=2)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&pageSize=2")
    text = response.content.decode()
    assert "geheim@example.org" not in text
    assert "contact" not in text
    first = body["results"][0]
    assert set(first) >= {"slug", "naam", "gebied", "fase", "classificaties", "url"}
    detail = get(client, f"/api/v1/initiatieven/{first['slug']}")
    assert detail.json()["naam"] == first["naam"]


def test_the_register_filters_like_the_public_page(client):
    InitiativeFactory(name="Moestuin Kraaiennest", phase="opstart")
    InitiativeFactory(name="Buurtkeuken", phase="groei")
    names = [
        r["naam"] for r in get(client, "/api/v1/initiatieven", phase="opstart").json()["results"]
    ]
    assert names == ["Moestuin Kraaiennest"]
    names = [r["naam"] for r in get(client, "/api/v1/initiatieven", q="keuken").json()["results"]]
    assert names == ["Buurtkeuken"]


def test_bad_filters_and_unknown_ids_are_problem_details(client):
    response = get(client, "/api/v1/initiatieven", phase="bestaat-niet")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    missing = get(client, "/api/v1/initiatieven/bestaat-niet")
    assert missing.status_code == 404
    assert missing.json()["status"] == 404
    assert missing.json()["title"] == "Not Found"
    assert get(client, "/api/v1/fondsen/x", jaar="20x5").status_code in (400, 404)


def test_the_api_is_read_only(client, allocation):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            f"/api/v1/toekenningen/{allocation.pk}", data="{}", content_type="application/json"
        )
        assert response.status_code in (405, 415), method
    assert get(client, f"/api/v1/toekenningen/{allocation.pk}").json()["bedrag"] == "400.00"


def test_funds_show_balance_and_the_flows_of_a_year(client, allocation):
    fund = allocation.fund
    listed = get(client, "/api/v1/fondsen").json()["results"]
    assert [f["slug"] for f in listed] == [fund.slug]
    assert listed[0]["saldo"] == "1000.00"
    detail = get(client, f"/api/v1/fondsen/{fund.slug}", jaar=2025).json()
    flows = detail["geldstromen"]
    assert (flows["jaar"], flows["tot_en_met"], flows["tussenstand"]) == (2025, "2025-12-31", False)
    assert flows["in_gemeente"] == flows["in_totaal"] == "1000.00"
    assert Decimal(flows["begin"]) + Decimal(flows["in_totaal"]) - Decimal(
        flows["uitbetaald"]
    ) == Decimal(flows["eind"])
    available, committed = detail["beschikbaar"], detail["toegekend_niet_uitbetaald"]
    assert (available, committed) == ("600.00", "400.00")
    assert Decimal(available) + Decimal(committed) == Decimal(detail["saldo"])
    assert detail["beloofd"] == []


def test_a_fund_says_what_its_frozen_rounds_promised(client, area, civil_servant, community_member):
    from budgeting.models import Round  # noqa: PLC0415 - this test only
    from tests.budgeting.factories import round_in  # noqa: PLC0415 - this test only

    round = round_in(Round.Status.FROZEN, area=area, civil_servant=civil_servant,
                     author=community_member, name="Ronde Gein")  # fmt: skip
    detail = get(client, f"/api/v1/fondsen/{round.fund.slug}").json()
    assert detail["beloofd"] == [{"ronde": "Ronde Gein", "bedrag": "5000.00"}]
    assert detail["beschikbaar"] == "5000.00"


def test_allocations_name_their_decision_and_filter_by_fund(client, allocation):
    rows = get(client, "/api/v1/toekenningen", fonds=allocation.fund.slug).json()["results"]
    assert [r["id"] for r in rows] == [allocation.pk]
    assert rows[0]["besluit_referentie"] == allocation.decision_reference
    assert rows[0]["open"] == "400.00"
    assert get(client, "/api/v1/toekenningen", fonds="ander").json()["count"] == 0


def test_decisions_carry_their_tally_and_never_who_voted(client, allocation):
    rows = get(client, "/api/v1/besluiten").json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row["uitkomst"] == tally.ADOPTED
    assert row["voor"] == 5
    assert row["toekenning_id"] == allocation.pk
    assert "uitleg" in row and row["uitleg"]
    text = json.dumps(rows)
    decision = Decision.objects.get(allocation=allocation)
    for entry in decision.proposal.electorate.select_related("user"):
        assert entry.user.username not in text


def test_contracts_show_the_obligation_and_never_contact_details(client):
    contractor = ContractorFactory(contact_email="inkoop@bouwer.example", contact_name="Jan Bouwer")
    ContractFactory(contractor=contractor, reference="C-2025-001")
    response = get(client, "/api/v1/contracten/C-2025-001")
    assert response.status_code == 200
    body = response.json()
    assert body["opdrachtnemer"] == contractor.name
    assert Decimal(body["verplichting"]) > 0
    assert "inkoop@bouwer.example" not in response.content.decode()
    assert "Jan Bouwer" not in response.content.decode()


def test_only_published_intake_profiles_are_shown(client, civil_servant):
    shown = confirmed_intake(actor=civil_servant, published=True)
    confirmed_intake(actor=civil_servant)  # confirmed, not published
    rows = get(client, "/api/v1/intakeprofielen").json()["results"]
    assert [r["id"] for r in rows] == [shown.pk]
    assert rows[0]["scores"] and all(1 <= s["waarde"] <= 10 for s in rows[0]["scores"])


def test_the_openapi_document_is_served_and_committed_current(client):
    from pathlib import Path

    import yaml
    from drf_spectacular.generators import SchemaGenerator

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert served["openapi"].startswith("3.")
    assert "/api/v1/initiatieven" in served["paths"]
    committed = yaml.safe_load((Path(__file__).parents[2] / "api" / "openapi.yaml").read_text())
    generated = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    assert committed == generated, "run `make openapi` and commit api/openapi.yaml"


def test_anonymous_clients_are_throttled(client, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    old = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    try:
        codes = [client.get("/api/v1/fondsen").status_code for _ in range(5)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = old
    assert codes == [200, 200, 200, 429, 429]


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/initiatieven", "/api/v1/toekenningen", "/api/v1/besluiten", "/api/v1/contracten"],
)
def test_list_queries_do_not_grow_with_the_data(client, path, civil_servant):
    fund = funded("1000.00")

    def add(n: int) -> None:
        for _ in range(n):
            InitiativeFactory()
            ContractFactory()
            proposal = adopted(
                voting(
                    kind=Proposal.Kind.FUND_ALLOCATION,
                    fund=fund,
                    initiative=InitiativeFactory(),
                    amount=Decimal("10.00"),
                    purpose="Materiaal",
                )
            )
            governance.execute_decision(decision=proposal.decision, actor=civil_servant)

    add(2)
    few = _queries(client, path)
    add(6)
    many = _queries(client, path)
    assert many == few, f"{path}: {few} queries with little data, {many} with more"
    assert many <= 8


def test_nothing_is_reachable_with_a_trailing_slash_or_a_session(client, community_member):
    assert client.get("/api/v1/initiatieven/").status_code == 404
    client.force_login(community_member)
    response = client.get("/api/v1/initiatieven")
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert response.json()["count"] == Initiative.objects.count() == 0


def test_the_root_lists_every_endpoint_and_the_openapi_document(client):
    # The review of 2026-12-06, finding 14: /api/v1/ was an HTML 404.
    response = get(client, "/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    assert body["versie"] == "1.0.0"
    assert set(body["endpoints"]) == {
        "initiatieven", "intakeprofielen", "fondsen", "contracten", "toekenningen",
        "besluiten", "jaarverslagen", "stembiljetten",
    }  # fmt: skip
    for name, url in body["endpoints"].items():
        assert url == f"http://testserver/api/v1/{name}"
        assert get(client, url).status_code == 200, name
    assert client.get(body["openapi"]).status_code == 200


def test_the_root_is_throttled_like_every_endpoint(client):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    old = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/minute"}
    try:
        codes = [client.get("/api/v1/").status_code for _ in range(3)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = old
    assert codes == [200, 200, 429]
