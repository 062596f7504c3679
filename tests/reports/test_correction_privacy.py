"""A reversal's reason in the civil servant's own words is never published (insider review
2026-12-05, R5): open data, the annual report's page, its PDF and its annex carry only the kind of
reason from a fixed list, or the neutral word "correctie" for a reversal without one. Before, the
words went verbatim into open data and into the frozen annex, where a name can never be taken out
again. The 360Giving and OCDS packages never held a reason; they stay valid against their schemas.
"""

import csv
import datetime
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from reports import rendering, services
from reports.models import AnnualReport
from sroi import services as sroi_services
from sroi.models import Transaction
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import ContractFactory, allocate, bookkeeper, funded

pytestmark = pytest.mark.django_db

YEAR = 2025
WORDS = "Betaald aan mevrouw J. de Vries, Kraaiennest 12, schuldhulp"
PRIVATE = ("de Vries", "Kraaiennest", "schuldhulp")
SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "schemas"


@pytest.fixture
def print_html_pdf(monkeypatch):
    """The PDF stand-in is the print document WeasyPrint lays out: the PDF's words, cheaply."""

    def fake(content, *, language):
        return rendering.render_print_html(content, language=language).encode(), 1

    monkeypatch.setattr(rendering, "render_pdf", fake)


def _reversed_tranche(category: str) -> Transaction:
    fund = funded("1000.00")  # 10 January
    sroi_services.record_contribution(
        fund=fund,
        contract=ContractFactory(),
        amount="500.00",
        date=datetime.date(YEAR, 2, 1),
        actor=None,
    )
    allocation = allocate(
        fund=fund,
        initiative=InitiativeFactory(name="Buurtkeuken", slug="buurtkeuken"),
        amount="400.00",
        purpose="Keuken",
        date=datetime.date(YEAR, 2, 1),
    )
    tranche = sroi_services.disburse(
        allocation=allocation, amount="100.00", date=datetime.date(YEAR, 3, 1), actor=bookkeeper()
    )
    # no kind given: as every reversal was booked before the kinds of reason existed
    kind = {"category": category} if category else {}
    return sroi_services.reverse_transaction(
        transaction=tranche,
        reason=WORDS,
        actor=bookkeeper(),
        date=datetime.date(YEAR, 4, 1),
        **kind,
    )


def _build(language: str) -> AnnualReport:
    report = services.request_report(year=YEAR, language=language, dispatch=False, actor=None)
    return services.build_report(report_id=report.pk)


def _body(response) -> str:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _reden(text: str) -> list[str]:
    return [row["reden"] for row in csv.DictReader(io.StringIO(text)) if row["correctie_van"]]


def _assert_private(name: str, text: str) -> None:
    for words in PRIVATE:
        assert words not in text, f"{words!r} is published in {name}"


def test_a_reversal_reason_naming_a_person_is_in_no_public_output(client, print_html_pdf):
    # given a reversal whose own words name a resident, her address and her debts
    reversal = _reversed_tranche("payment_came_back")
    assert reversal.reason == WORDS  # kept, for the staff
    # when the year's report is published, in both languages
    reports = [_build("nl"), _build("en")]
    # then no public output holds the words, and each says the kind of reason instead
    outputs = {
        url: _body(client.get(url))
        for url in (
            f"/open-data/transacties.csv?jaar={YEAR}",
            f"/open-data/transacties.json?jaar={YEAR}",
            "/open-data/transacties.csv?jaar=alle",
            f"/open-data/toekenningen.csv?jaar={YEAR}",
            f"/open-data/toekenningen-360giving.json?jaar={YEAR}",
            f"/open-data/contracten-ocds.json?jaar={YEAR}",
            f"/rapporten/{YEAR}/",
            f"/rapporten/{YEAR}/?taal=en",
            f"/rapporten/{YEAR}.pdf",
            f"/rapporten/{YEAR}.pdf?taal=en",
            "/api/v1/jaarverslagen",
        )
    }
    for report in reports:
        for annex in report.snapshot["annex"]["files"]:
            with default_storage.open(annex["path"], "rb") as handle:
                outputs[annex["path"]] = handle.read().decode()
        outputs[f"snapshot {report.language}"] = json.dumps(report.snapshot, ensure_ascii=False)
    for name, text in outputs.items():
        _assert_private(name, text)
    assert _reden(outputs[f"/open-data/transacties.csv?jaar={YEAR}"]) == ["De betaling kwam terug"]
    transacties = [path for path in outputs if "/bijlage/transacties-" in path and ".csv" in path]
    assert [_reden(outputs[path]) for path in transacties] == [["De betaling kwam terug"]] * 2
    assert (
        '"reden": "De betaling kwam terug"' in outputs[f"/open-data/transacties.json?jaar={YEAR}"]
    )
    assert "De betaling kwam terug" in outputs[f"/rapporten/{YEAR}/"]
    assert "De betaling kwam terug" in outputs[f"/rapporten/{YEAR}.pdf"]
    assert "The payment came back" in outputs[f"/rapporten/{YEAR}/?taal=en"]


def test_a_reversal_without_a_kind_of_reason_publishes_the_neutral_word(client, print_html_pdf):
    # given a reversal as they were booked before the kinds of reason (none chosen)
    _reversed_tranche("")
    report = _build("nl")
    live = _body(client.get(f"/open-data/transacties.csv?jaar={YEAR}"))
    page = _body(client.get(f"/rapporten/{YEAR}/"))
    [annex] = [f for f in report.snapshot["annex"]["files"] if f["name"] == "transacties"][:1]
    with default_storage.open(annex["path"], "rb") as handle:
        frozen = handle.read().decode()
    for name, text in (("open data", live), ("page", page), ("annex", frozen)):
        _assert_private(name, text)
    assert _reden(live) == _reden(frozen) == ["correctie"]
    assert "(correctie)" in page  # the tranche's correction, without words of its own


def _validator(schema: str, item: str, ref: str, draft: str):
    """A validator of a package schema, with its item schema registered under its `$ref` URL
    (../shared/schemas/README.md); formats checked."""
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    drafts = pytest.importorskip("referencing.jsonschema")
    if not (SCHEMAS / schema).exists():
        pytest.skip(f"the standards' schemas are not next to the project ({SCHEMAS})")
    # 360Giving names its dialect with http://, which `referencing` does not recognise by itself
    specification = getattr(drafts, draft.upper())
    contents = json.loads((SCHEMAS / item).read_text(encoding="utf-8"))
    registry = referencing.Registry().with_resource(ref, specification.create_resource(contents))
    kind = {"draft202012": jsonschema.Draft202012Validator, "draft4": jsonschema.Draft4Validator}
    validator = kind[draft]
    package = json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))
    return validator(package, registry=registry, format_checker=validator.FORMAT_CHECKER)


def standards_validators():
    """Validators of a 360Giving package (1.4.2) and an OCDS release package (1.1.5)."""
    giving = _validator(
        "360giving-1.4.2/360-giving-package-schema.json",
        "360giving-1.4.2/360-giving-schema.json",
        "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
        "draft202012",
    )
    ocds = _validator(
        "ocds-1.1.5/release-package-schema.json",
        "ocds-1.1.5/release-schema.json",
        "https://standard.open-contracting.org/schema/1__1__5/release-schema.json",
        "draft4",
    )
    return giving, ocds


def test_the_360giving_and_ocds_packages_of_a_corrected_year_stay_valid(client):
    _reversed_tranche("booked_twice")
    grants = json.loads(_body(client.get(f"/open-data/toekenningen-360giving.json?jaar={YEAR}")))
    releases = json.loads(_body(client.get(f"/open-data/contracten-ocds.json?jaar={YEAR}")))
    giving, ocds = standards_validators()
    assert [error.message for error in giving.iter_errors(grants)] == []
    assert [error.message for error in ocds.iter_errors(releases)] == []
    assert grants["grants"] and releases["releases"]
    _assert_private("360Giving", json.dumps(grants))
    _assert_private("OCDS", json.dumps(releases))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_real_pdf_says_the_kind_of_reason_and_not_the_words(tmp_path):
    _reversed_tranche("payment_came_back")
    report = _build("nl")
    path = tmp_path / "report.pdf"
    with report.pdf.open("rb") as handle:
        path.write_bytes(handle.read())
    text = subprocess.run(  # noqa: S603 - a fixed program on a file of our own
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    words = " ".join(text.split())  # a table cell wraps over lines
    _assert_private("the PDF", words)
    assert "(correctie: De betaling kwam terug)" in words
