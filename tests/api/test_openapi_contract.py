"""The OpenAPI document says what the API returns: every field of every answer is in it, with
its type, and every code field lists its codes with their Dutch words; its text is Dutch.

A program written against the document must not meet a field, a type or a code it does not
describe (the decisions' answer was `{"type": "object"}`; codes were plain strings).
"""

import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.core.cache import cache

from governance import services as governance
from governance.models import Choice
from tests.governance.factories import adopted, allocation_fields, count_poll, decided, poll, voting
from tests.initiatives.factories import InitiativeFactory
from tests.intake.factories import confirmed_intake
from tests.sroi.factories import ContractFactory

pytestmark = pytest.mark.django_db

DOCUMENT = yaml.safe_load((Path(__file__).parents[2] / "api" / "openapi.yaml").read_text())


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # throttling counts live in the cache
    yield
    cache.clear()


def _strict(schema):
    """The document's schema as JSON Schema that refuses undescribed fields: OpenAPI 3.0's
    `nullable` as a null type, `$ref`s resolved, every object closed."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _strict(DOCUMENT["components"]["schemas"][name])
    undescribed = schema.get("type") == "object" and not {
        "properties",
        "additionalProperties",
    } & set(schema)
    assert not undescribed, f"an object the document does not describe: {schema}"
    result = {key: _strict(value) for key, value in schema.items() if key != "nullable"}
    if result.get("type") == "object" and "properties" in result:
        result.setdefault("additionalProperties", False)
    if schema.get("nullable"):
        result = {"anyOf": [result, {"type": "null"}]}
    return result


def _answer_schema(path: str) -> dict:
    """The schema of the 200 answer of GET `path` (a template such as /api/v1/besluiten/{id})."""
    answer = DOCUMENT["paths"][path]["get"]["responses"]["200"]
    return _strict(answer["content"]["application/json"]["schema"])


@pytest.fixture
def data(civil_servant, area, community_member):
    """One of everything the API lists: an initiative, a published intake profile, a contract,
    an allocation made by a carried-out decision (with its fund), a rejected decision and a
    counted poll."""
    proposal = adopted(voting(**allocation_fields("400.00", available="1000.00")))
    decision = governance.execute_decision(decision=proposal.decision, actor=civil_servant)
    decided(voting(title="Een bankje"), {})  # nobody voted for: rejected
    counted = poll(areas=[area], title="Speeltuin aan het plein")
    governance.cast_vote(proposal=counted, choice=Choice.FOR, actor=community_member)
    count_poll(counted)
    intake = confirmed_intake()
    intake.is_published = True
    intake.save()
    InitiativeFactory(name="Moestuin")
    ContractFactory()
    return {
        "besluiten": decision.pk,
        "toekenningen": decision.allocation_id,
        "fondsen": decision.allocation.fund.slug,
        "intakeprofielen": intake.pk,
        "stembiljetten": counted.pk,
    }


LISTS = [
    "/api/v1/initiatieven",
    "/api/v1/intakeprofielen",
    "/api/v1/fondsen",
    "/api/v1/contracten",
    "/api/v1/toekenningen",
    "/api/v1/besluiten",
    "/api/v1/stembiljetten",
]


@pytest.mark.parametrize("path", LISTS)
def test_every_answer_is_what_the_document_describes(client, data, path):
    """Each list and each of its items as detail: valid against the document's schema, and no
    field the schema does not name."""
    body = client.get(path).json()
    assert body["results"], f"{path} lists nothing: the test would prove nothing"
    jsonschema.validate(body, _answer_schema(path))
    detail_template = next(p for p in DOCUMENT["paths"] if p.startswith(path + "/{"))
    name = path.rsplit("/", 1)[-1]
    key = data.get(name) or body["results"][0].get("slug") or body["results"][0].get("referentie")
    detail = client.get(f"{path}/{key}")
    assert detail.status_code == 200, detail.content
    jsonschema.validate(detail.json(), _answer_schema(detail_template))


def test_a_decision_is_described_field_by_field(client, data):
    """Old code: the decisions' answer was documented as any object; now each field of the
    open-data row, its type, and the codes of soort, methode, uitkomst and quorum."""
    decision = DOCUMENT["components"]["schemas"]["Decision"]
    rows = client.get("/api/v1/besluiten").json()["results"]
    assert {row["uitkomst"] for row in rows} == {"adopted", "rejected"}
    assert set(decision["properties"]) == set(rows[0])
    enums = DOCUMENT["components"]["schemas"]
    outcome = enums[decision["properties"]["uitkomst"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]]
    assert outcome["enum"] == ["adopted", "rejected"]
    assert "`adopted` - Aangenomen" in outcome["description"]
    kinds = enums[decision["properties"]["soort"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]]
    assert "fund_package" in kinds["enum"]
    assert "fund_package" in decision["properties"]["soort"]["description"].split("\n\n")[0]


def _code_fields(schema: dict, path: str = "") -> list[str]:
    """Paths of the string fields named like a code (status, soort, fase, uitkomst, keuze …)
    that are not an enum."""
    found = []
    for name, field in schema.get("properties", {}).items():
        target = field
        for ref in [field, *field.get("allOf", []), *field.get("oneOf", [])]:
            if "$ref" in ref:
                target = DOCUMENT["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]
        coded = re.fullmatch(r"(status|soort.*|fase|uitkomst|keuze|methode|quorum)", name)
        if (
            coded
            and "enum" not in target
            and not any(
                "enum" in DOCUMENT["components"]["schemas"][r["$ref"].rsplit("/", 1)[-1]]
                for r in field.get("oneOf", [])
                if "$ref" in r
            )
        ):
            found.append(f"{path}.{name}")
    return found


def test_every_code_field_lists_its_codes():
    loose = []
    for name, schema in DOCUMENT["components"]["schemas"].items():
        loose += _code_fields(schema, name)
    assert loose == []


# Words of English that Dutch does not use; codes (`…`, '…') are taken out first.
ENGLISH = re.compile(r"\b(the|and|with|this|from|for|which|that|an|within|identifying|number)\b")


def _texts(node, where=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary", "title") and isinstance(value, str):
                yield f"{where}/{key}", value
            else:
                yield from _texts(value, f"{where}/{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item, where)


def test_the_document_speaks_dutch():
    """The document is made in Dutch (`make openapi`): no developer's English from docstrings
    or from Django REST framework's paging and path parameters."""
    english = []
    for where, text in _texts(DOCUMENT):
        words = re.sub(r"`[^`]*`|'[^']*'|\([^)]*_[^)]*\)", "", text)
        if ENGLISH.search(words.lower()):
            english.append(f"{where}: {text[:80]}")
    assert english == []
