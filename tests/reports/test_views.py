"""The report archive, the year page, PDF downloads and the civil servants' controls."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from initiatives.models import Initiative
from reports import services
from reports.models import AnnualReport, Outcome
from tests.initiatives.factories import InitiativeFactory
from tests.roles import ACCOUNT_ROLES, STAFF, expected_status

pytestmark = pytest.mark.django_db

EVERYONE = set(ACCOUNT_ROLES)


_RENDERED: dict[str, tuple[bytes, int]] = {}


@pytest.fixture
def published(monkeypatch):
    """A report built by the real service; WeasyPrint runs once per session for these view
    tests (the content is the same in each: an empty year), later builds reuse its PDF."""
    from reports import rendering
    from reports.snapshot import dump

    real_render = rendering.render_pdf

    def render_once(content, *, language):
        key = json.dumps({**dump(content), "generated_at": None}, sort_keys=True) + language
        if key not in _RENDERED:
            _RENDERED[key] = real_render(content, language=language)
        return _RENDERED[key]

    monkeypatch.setattr(rendering, "render_pdf", render_once)
    report = services.request_report(year=2025, language="nl", dispatch=False, actor=None)
    return services.build_report(report_id=report.pk)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/rapporten/", EVERYONE),
        ("/rapporten/2025/", EVERYONE),
        ("/rapporten/2025.pdf", EVERYONE),
        ("/rapporten/2025/nl/v1.pdf", EVERYONE),
        ("/rapporten/resultaten/", STAFF),
        ("/rapporten/status/{pk}/", STAFF),
    ],
)
def test_get(client, user_for_role, published, role, url, allowed):
    user = user_for_role(role)
    if user:
        client.force_login(user)
    response = client.get(url.format(pk=published.pk))
    assert response.status_code == expected_status(role, allowed)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_preview_from_live_data_is_for_civil_servants_only(client, user_for_role, role):
    user = user_for_role(role)
    if user:
        client.force_login(user)
    response = client.get("/rapporten/2025/?voorbeeld=1")
    assert response.status_code == (200 if role in STAFF else 404)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_only_civil_servants_can_request_a_report(
    client, user_for_role, role, django_capture_on_commit_callbacks
):
    user = user_for_role(role)
    if user:
        client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/rapporten/aanvragen/", {"year": 2025, "languages": ["nl"]})
    assert response.status_code == expected_status(role, STAFF, ok=302)
    assert AnnualReport.objects.exists() == (role in STAFF)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_only_civil_servants_can_record_outcomes(client, user_for_role, role):
    initiative = InitiativeFactory()
    user = user_for_role(role)
    if user:
        client.force_login(user)
    response = client.post(
        "/rapporten/resultaten/",
        {
            "initiative": initiative.pk,
            "year": 2025,
            "indicator": Outcome.Indicator.SCHOOL,
            "value": 12,
            "source": "Jaarverslag van het initiatief",
        },
    )
    assert response.status_code == expected_status(role, STAFF, ok=302)
    assert Outcome.objects.exists() == (role in STAFF)


def test_the_archive_lists_the_current_version_with_its_checksum(client, published):
    response = client.get("/rapporten/")
    html = response.content.decode()
    assert published.sha256 in html
    assert reverse("reports:year", args=[2025]) in html
    assert "Aanvragen" not in html  # the staff form is not shown to the public


def test_the_pdf_download_is_the_stored_file(client, published):
    response = client.get("/rapporten/2025.pdf")
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == published.sha256 == response["X-Checksum-SHA256"]
    assert "inline" in response["Content-Disposition"]


def test_the_year_page_shows_the_frozen_content_not_the_live_data(client, request, civil_servant):
    # given an outcome recorded before the report was published, whose initiative is renamed
    # afterwards (the number itself cannot change any more: its year is closed)
    outcome = Outcome.objects.create(
        initiative=InitiativeFactory(name="Huiswerkklas Venserpolder"),
        year=2025,
        indicator=Outcome.Indicator.SCHOOL,
        value=17,
        source="Telling van het initiatief",
        recorded_by=civil_servant,
    )
    request.getfixturevalue("published")
    Initiative.objects.filter(pk=outcome.initiative_id).update(name="Huiswerkklas Gein-Noord")
    # then the published page does not change, the civil servants' live preview does
    page = client.get("/rapporten/2025/").content.decode()
    assert "Huiswerkklas Venserpolder" in page and "Gein-Noord" not in page
    client.force_login(civil_servant)
    preview = client.get("/rapporten/2025/?voorbeeld=1").content.decode()
    assert "Huiswerkklas Gein-Noord" in preview and "Telling van het initiatief" in preview


def test_no_number_is_recorded_for_a_year_whose_report_closed_it(published, civil_servant):
    """Insider review 2026-12-05, R3: the service rewrote a closed year's published numbers."""
    with pytest.raises(ValidationError) as raised:
        services.record_outcome(
            initiative=InitiativeFactory(name="Huiswerkklas Gein"),
            year=2025,
            indicator=Outcome.Indicator.SCHOOL,
            value=17,
            source="Telling na publicatie",
            actor=civil_servant,
        )
    assert raised.value.code == "closed_year"
    assert not Outcome.objects.filter(year=2025, value=17).exists()


def test_a_year_without_a_published_report_is_not_found(client):
    assert client.get("/rapporten/2024/").status_code == 404
    assert client.get("/rapporten/2024.pdf").status_code == 404


def test_an_english_visitor_gets_the_dutch_report_when_there_is_no_english_one(client, published):
    response = client.get("/rapporten/2025.pdf?taal=en")
    assert response.status_code == 200
    assert response["X-Checksum-SHA256"] == published.sha256


def test_a_bad_request_shows_the_reason_and_writes_nothing(client, civil_servant):
    client.force_login(civil_servant)
    response = client.post("/rapporten/aanvragen/", {"year": 1990, "languages": ["nl"]})
    assert response.status_code == 400
    assert not AnnualReport.objects.exists()
    assert "2000" in response.content.decode()


def test_the_status_row_polls_while_pending_and_stops_when_done(client, civil_servant):
    client.force_login(civil_servant)
    report = services.request_report(year=2025, language="nl", dispatch=False, actor=None)
    pending = client.get(f"/rapporten/status/{report.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in pending
    services.build_report(report_id=report.pk)
    done = client.get(f"/rapporten/status/{report.pk}/").content.decode()
    assert "hx-trigger" not in done and "v1.pdf" in done


def test_recording_an_outcome_twice_corrects_it(client, civil_servant):
    initiative = InitiativeFactory()
    client.force_login(civil_servant)
    data = {
        "initiative": initiative.pk,
        "year": 2025,
        "indicator": Outcome.Indicator.INCOME,
        "value": 4,
        "source": "Telling van het initiatief",
    }
    client.post("/rapporten/resultaten/", data)
    client.post("/rapporten/resultaten/", {**data, "value": 5})
    outcome = Outcome.objects.get()
    assert outcome.value == 5 and outcome.history.count() == 2


def test_the_sankey_shows_allocated_but_unpaid_money_as_its_own_flow(client, civil_servant):
    import datetime
    from decimal import Decimal

    from sroi import services as ledger
    from tests.sroi.factories import ContractFactory, allocate, bookkeeper, make_fund

    # given: 1,000 in, 600 allocated, 250 of it paid in 2025
    fund = make_fund()
    ledger.record_contribution(
        fund=fund,
        contract=ContractFactory(reference="AMS-1"),
        amount=Decimal("1000.00"),
        date=datetime.date(2025, 2, 1),
        actor=None,
    )
    allocation = allocate(
        fund=fund,
        initiative=InitiativeFactory(name="Community Home"),
        amount=Decimal("600.00"),
        purpose="Huur",
        date=datetime.date(2025, 3, 1),
    )
    ledger.disburse(
        allocation=allocation,
        amount=Decimal("250.00"),
        date=datetime.date(2025, 4, 1),
        actor=bookkeeper(),
    )
    # when: the year page of 2025 is shown
    client.force_login(civil_servant)
    html = client.get("/rapporten/2025/?voorbeeld=1").content.decode().replace("\xa0", " ")
    # then: the chart has a flow for the 350 allocated but not paid, and for the 400 left
    assert "Toegekend, nog niet betaald · € 350,00" in html
    assert "Nog beschikbaar · € 400,00" in html
    assert "Saldo op 1 januari" not in html  # nothing on 1 January: no band
    assert "is € 350,00 toegekend aan initiatieven maar nog niet betaald" in html
