"""Role × view × expected status for sroi, GET and POST, checked on the server."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.models import Choice
from sroi.models import (
    Allocation,
    ClosedYear,
    Contract,
    Contractor,
    Realisation,
    TargetGroup,
    Transaction,
)
from tests.roles import ACCOUNT_ROLES, STAFF, expected_status, login_as

from .factories import block

pytestmark = pytest.mark.django_db

CIVIL_SERVANT = {"civil_servant"}
EVERYONE = set(ACCOUNT_ROLES)


def url_of(template: str, s: dict) -> str:
    return template.format(
        fund=s["fund"].slug,
        contract=s["contract"].pk,
        realisation=s["realisation"].pk,
        allocation=s["allocation"].pk,
        transaction=s["allocation"].transactions.order_by("pk").last().pk,
        contractor=s["contract"].contractor.pk,
    )


GETS = [
    ("/sroi/", EVERYONE),
    ("/sroi/fondsen/{fund}/", EVERYONE),
    ("/sroi/contracten/", EVERYONE),
    ("/sroi/contracten/{contract}/", EVERYONE),
    ("/sroi/contracten/achterstand/", STAFF),
    ("/sroi/contracten/nieuw/", STAFF),
    ("/sroi/contracten/{contract}/bewerken/", STAFF),
    ("/sroi/contracten/{contract}/beheer/", STAFF),
    ("/sroi/contracten/{contract}/realisaties/nieuw/", STAFF),
    ("/sroi/realisaties/{realisation}/", STAFF),
    ("/sroi/realisaties/{realisation}/afwijzen/", STAFF),
    ("/sroi/opdrachtnemers/", STAFF),
    ("/sroi/opdrachtnemers/nieuw/", STAFF),
    ("/sroi/opdrachtnemers/{contractor}/bewerken/", STAFF),
    ("/sroi/fondsen/{fund}/beheer/", STAFF),
    ("/sroi/fondsen/{fund}/bijdrage/", STAFF),
    ("/sroi/fondsen/{fund}/overige-inkomsten/", STAFF),
    ("/sroi/toekenningen/{allocation}/", STAFF),
    ("/sroi/toekenningen/{allocation}/uitbetalen/", STAFF),
    ("/sroi/toekenningen/{allocation}/terugbetaling/", STAFF),
    ("/sroi/toekenningen/{allocation}/sluiten/", STAFF),
    ("/sroi/transacties/{transaction}/terugdraaien/", STAFF),
    ("/sroi/jaren-afgesloten/", CIVIL_SERVANT),
]


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(("url", "allowed"), GETS)
def test_get(client, user_for_role, scenario, role, url, allowed):
    response = login_as(client, user_for_role(role)).get(url_of(url, scenario))
    assert response.status_code == expected_status(role, allowed)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_evidence_download_is_for_staff_only(client, user_for_role, scenario, role):
    realisation = scenario["realisation"]
    realisation.evidence.save("bewijs.pdf", SimpleUploadedFile("bewijs.pdf", b"%PDF-1.4"))
    response = login_as(client, user_for_role(role)).get(
        f"/sroi/realisaties/{realisation.pk}/bewijs/"
    )
    assert response.status_code == expected_status(role, STAFF)


def post_cases(s):
    """(url, data, a check that the action took effect)."""
    contract, fund, allocation = s["contract"], s["fund"], s["allocation"]
    contribution = Transaction.Kind.SROI_CONTRIBUTION
    return {
        "create_contractor": (
            "/sroi/opdrachtnemers/nieuw/",
            {"name": "Nieuw B.V.", "kvk_number": "87654321"},
            lambda: Contractor.objects.filter(kvk_number="87654321").exists(),
        ),
        "create_contract": (
            "/sroi/contracten/nieuw/",
            {
                "reference": "NEW-1",
                "title": "Nieuw",
                "department": "X",
                "contractor": contract.contractor.pk,
                "value": "500000",
                "percentage": "5",
                "threshold": "250000",
                "award_date": "2025-01-01",
                "start_date": "2025-01-01",
                "end_date": "2025-12-31",
                "obligation_kind": Contract.ObligationKind.RESULT,
                "status": Contract.Status.RUNNING,
            },
            lambda: Contract.objects.filter(reference="NEW-1").exists(),
        ),
        "edit_contractor": (
            f"/sroi/opdrachtnemers/{contract.contractor.pk}/bewerken/",
            {"name": "Hernoemd B.V.", "kvk_number": contract.contractor.kvk_number},
            lambda: Contractor.objects.filter(name="Hernoemd B.V.").exists(),
        ),
        "edit_contract": (
            f"/sroi/contracten/{contract.pk}/bewerken/",
            {
                "reference": contract.reference,
                "title": "Andere titel",
                "department": contract.department,
                "contractor": contract.contractor.pk,
                "value": "1000000",
                "percentage": "5",
                "threshold": "250000",
                "award_date": "2025-01-01",
                "start_date": "2025-01-01",
                "end_date": "2027-12-31",
                "obligation_kind": Contract.ObligationKind.RESULT,
                "status": Contract.Status.RUNNING,
            },
            lambda: Contract.objects.filter(title="Andere titel").exists(),
        ),
        "claim": (
            f"/sroi/contracten/{contract.pk}/realisaties/nieuw/",
            {
                "block": block("participatiewet").pk,
                "target_group": TargetGroup.PARTICIPATIEWET,
                "person_reference": "K-99",
                "start_date": "2025-03-01",
                "months": "6",
                "hours_per_week": "36",
                "evidence": SimpleUploadedFile("bewijs.pdf", b"%PDF-1.4"),
            },
            lambda: Realisation.objects.filter(person_reference="K-99").exists(),
        ),
        "verify": (
            f"/sroi/realisaties/{s['realisation'].pk}/verifieren/",
            {},
            lambda: Realisation.objects.filter(status=Realisation.Status.VERIFIED).exists(),
        ),
        "reject": (
            f"/sroi/realisaties/{s['realisation'].pk}/afwijzen/",
            {"reason": "Geen bewijs"},
            lambda: Realisation.objects.filter(status=Realisation.Status.REJECTED).exists(),
        ),
        "contribution": (
            f"/sroi/fondsen/{fund.slug}/bijdrage/",
            {"contract": contract.pk, "amount": "100", "date": "2025-03-01"},
            lambda: Transaction.objects.filter(kind=contribution).exists(),
        ),
        "other_income": (
            f"/sroi/fondsen/{fund.slug}/overige-inkomsten/",
            {"source": "other", "amount": "5", "date": "2025-03-01", "description": "Gift"},
            lambda: Transaction.objects.filter(description="Gift").exists(),
        ),
        "disburse": (
            f"/sroi/toekenningen/{allocation.pk}/uitbetalen/",
            {"amount": "50", "date": "2025-03-01", "description": "Tweede tranche"},
            lambda: Transaction.objects.filter(description="Tweede tranche").exists(),
        ),
        "return": (
            f"/sroi/toekenningen/{allocation.pk}/terugbetaling/",
            {"amount": "20", "date": "2025-03-01", "description": "Over"},
            lambda: Transaction.objects.filter(description="Over").exists(),
        ),
        "close": (
            f"/sroi/toekenningen/{allocation.pk}/sluiten/",
            {"reason": "Klaar"},
            lambda: Allocation.objects.filter(status=Allocation.Status.CLOSED).exists(),
        ),
        "reverse": (
            url_of("/sroi/transacties/{transaction}/terugdraaien/", s),
            {"reason": "Fout", "category": "wrong_amount"},
            lambda: Transaction.objects.filter(kind=Transaction.Kind.REVERSAL).exists(),
        ),
        "close_year": (
            "/sroi/jaren-afgesloten/",
            {"year": "2025", "reason": "Jaarrekening gecontroleerd"},
            lambda: ClosedYear.objects.filter(year=2025).exists(),
        ),
    }


ACTIONS = [
    "create_contractor",
    "create_contract",
    "edit_contractor",
    "edit_contract",
    "claim",
    "verify",
    "reject",
    "contribution",
    "other_income",
    "disburse",
    "return",
    "close",
    "reverse",
    "close_year",
]
# Closing a year is for civil servants only; the rest of sroi's staff pages for both staff roles.
ALLOWED = {"close_year": CIVIL_SERVANT}


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_post(client, user_for_role, scenario, role, action):
    url, data, took_effect = post_cases(scenario)[action]
    allowed = ALLOWED.get(action, STAFF)
    response = login_as(client, user_for_role(role)).post(url, data)
    assert response.status_code == expected_status(role, allowed, ok=302), response.content[:2000]
    assert took_effect() == (role in allowed)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    "reference",
    ["BK-2099-9999", "rejected", "executed"],
)
def test_no_page_books_an_allocation_for_a_typed_decision_reference(
    client, user_for_role, scenario, role, reference
):
    """Issue 11, reproduction 1: the free-text allocation form booked a grant for any typed
    reference (one that does not exist, a rejected decision, one already carried out). The form
    is gone for everyone: money leaves a fund only by carrying out an adopted decision."""
    from governance.models import Proposal
    from tests.governance.factories import decided, voting

    if reference == "rejected":
        proposal = voting(
            kind=Proposal.Kind.FUND_ALLOCATION,
            fund=scenario["fund"],
            initiative=scenario["initiative"],
            amount=Decimal("10.00"),
            purpose="Meer",
        )
        voters = [entry.user for entry in proposal.electorate.select_related("user")]
        reference = decided(proposal, dict.fromkeys(voters, Choice.AGAINST)).decision.reference
    elif reference == "executed":
        reference = scenario["allocation"].decision_reference
    before = (Allocation.objects.count(), Transaction.objects.count())
    fund = scenario["fund"]
    client = login_as(client, user_for_role(role))
    url = f"/sroi/fondsen/{fund.slug}/toekennen/"
    data = {
        "initiative": scenario["initiative"].pk,
        "amount": "10",
        "purpose": "Meer",
        "decision_reference": reference,
        "date": "2025-03-01",
    }
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert (Allocation.objects.count(), Transaction.objects.count()) == before
