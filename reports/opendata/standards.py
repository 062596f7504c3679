"""Allocations in the 360Giving Data Standard (1.4.3), contracts in OCDS (1.1.5)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from initiatives.models import Classification
from sroi.models import Allocation, Contract

from .base import (
    ALL_YEARS,
    BUYER_ID,
    FUNDER_ID_PREFIX,
    LEEFGEBIED_VOCABULARY,
    LICENSE_URL,
    PLACEHOLDER_GRANT_ID_PREFIX,
    PLACEHOLDER_OCID_PREFIX,
    RECIPIENT_ID_PREFIX,
    Period,
    _iso,
    _moment,
    cents,
    grant_id_prefix,
    ocid_prefix,
)
from .rows.contracts import _contract_figures, _contracts
from .rows.ledger import _allocations

# --- 360Giving ---------------------------------------------------------------------------------


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _leefgebieden(allocation: Allocation) -> list[Classification]:
    """The decision's leefgebieden (what the money works on), else the initiative's."""
    decision = getattr(allocation, "governance_decision", None)
    if decision is not None:
        chosen = list(decision.proposal.leefgebieden.all())
        if chosen:
            return chosen
    return list(allocation.initiative.classifications.all())


def grant(allocation: Allocation) -> dict:
    """One allocation as a 360Giving grant (schema 1.4.3); amounts as exact JSON numbers."""
    initiative, fund = allocation.initiative, allocation.fund
    with translation.override("nl"):
        classifications = [
            {"vocabulary": LEEFGEBIED_VOCABULARY, "code": c.code, "title": str(c.label)}
            for c in _leefgebieden(allocation)
        ]
    recipient = {"id": f"{RECIPIENT_ID_PREFIX}{initiative.slug}", "name": initiative.name}
    if initiative.website:
        recipient["url"] = initiative.website
    data = {
        "id": f"{grant_id_prefix()}{allocation.pk}",
        "title": _truncate(f"{initiative.name}: {allocation.purpose}", 139),
        "description": allocation.purpose,
        "currency": "EUR",
        "amountAwarded": cents(allocation.amount),
        "amountDisbursed": allocation.paid,
        "awardDate": _iso(allocation.date),
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {
                "id": f"{FUNDER_ID_PREFIX}{fund.slug}",
                "name": f"{fund.name} ({settings.MUNICIPALITY_NAME})",
            }
        ],
        "grantProgramme": [{"code": fund.slug, "title": fund.name}],
        "beneficiaryLocation": [{"name": initiative.area.name, "countryCode": "NL"}],
    }
    if classifications:
        data["classifications"] = classifications
    return data


def grants_package(period: Period, *, uri: str, page: str) -> tuple[dict, str, list[dict]]:
    """The 360Giving package metadata, its list key and the grants of the year."""
    meta = {
        "version": "1.4",
        "title": f"{settings.MUNICIPALITY_NAME}: {STANDARDS['toekenningen-360giving'].title}"
        f" ({period.year or ALL_YEARS})",
        "description": str(STANDARDS["toekenningen-360giving"].description),
        "issued": timezone.now().isoformat(timespec="seconds"),
        "publisher": {"name": settings.MUNICIPALITY_NAME},
        "license": LICENSE_URL,
        "downloadURL": uri,
        "accessURL": page,
    }
    return meta, "grants", [grant(a) for a in _allocations(period)]


# --- Open Contracting --------------------------------------------------------------------------

CONTRACT_STATUS = {
    Contract.Status.RUNNING: "active",
    # OCDS "terminated": was in force and has come to a close, completed or ended early.
    Contract.Status.COMPLETED: "terminated",
    Contract.Status.TERMINATED: "terminated",
}


OBLIGATION_KIND_NL = {
    Contract.ObligationKind.EFFORT: "inspanningsverplichting",
    Contract.ObligationKind.RESULT: "resultaatverplichting",
}


def _reference_moment(as_of: date) -> str:
    """When a release is dated: the end of its reference day, or now for today."""
    if as_of >= timezone.localdate():
        return timezone.localtime().isoformat(timespec="seconds")
    return _moment(as_of, end=True)


def _milestone_status(state, deadline: date, as_of: date) -> str:
    if state.remaining <= 0:
        return "met"
    if deadline >= as_of:
        return "scheduled"
    return "partiallyMet" if state.fulfilled > 0 else "notMet"


def social_return_milestone(contract: Contract, in_kind, cash, state, as_of: date) -> dict:
    """The social-return obligation and its fulfilment as an OCDS contract milestone."""
    description = (
        f"Social return: verplichting EUR {cents(contract.obligation)} "
        f"({cents(contract.percentage)}% van de opdrachtwaarde, drempel EUR "
        f"{cents(contract.threshold)}, {OBLIGATION_KIND_NL[contract.obligation_kind]}). "
        f"Vervuld op {as_of.isoformat()}: EUR {cents(state.fulfilled)}, waarvan EUR {in_kind} "
        f"in natura (geverifieerde realisaties) en EUR {cash} in geld (stortingen in het "
        f"gemeenschapsfonds); resterend EUR {cents(state.remaining)}."
    )
    milestone = {
        "id": f"{contract.reference}-social-return",
        "title": "Social return (SROI)",
        "type": "delivery",
        "code": "social-return",
        "description": description,
        "dueDate": _moment(contract.fulfilment_deadline, end=True),
        "status": _milestone_status(state, contract.fulfilment_deadline, as_of),
        "dateModified": _reference_moment(as_of),
    }
    return milestone


def release(contract: Contract, in_kind, cash, state, period: Period) -> dict:
    """One contract as an OCDS 1.1 release, as it stood on the period's reference date."""
    as_of = period.as_of
    supplier_id = f"NL-KVK-{contract.contractor.kvk_number}"
    supplier = {"id": supplier_id, "name": contract.contractor.name}
    buyer = {"id": BUYER_ID, "name": settings.MUNICIPALITY_NAME}
    first_release = not period.year or contract.award_date.year >= period.year
    value = {"amount": cents(contract.value), "currency": "EUR"}
    award_id = f"{contract.reference}-award"
    contract_data = {
        "id": contract.reference,
        "awardID": award_id,
        "title": contract.title,
        "status": CONTRACT_STATUS.get(contract.status, "active"),
        "period": {
            "startDate": _moment(contract.start_date),
            "endDate": _moment(contract.end_date, end=True),
        },
        "value": value,
        "dateSigned": _moment(contract.award_date),
    }
    if contract.obligation > 0:
        contract_data["implementation"] = {
            "milestones": [social_return_milestone(contract, in_kind, cash, state, as_of)]
        }
    return {
        "ocid": f"{ocid_prefix()}{contract.reference}",
        "id": f"{contract.reference}-{as_of:%Y%m%d}",
        "date": _reference_moment(as_of),
        "tag": ["award", "contract"] if first_release else ["contractUpdate"],
        "initiationType": "tender",
        "language": "nl",
        "parties": [
            {**buyer, "roles": ["buyer"]},
            {
                **supplier,
                "identifier": {
                    "scheme": "NL-KVK",
                    "id": contract.contractor.kvk_number,
                    "legalName": contract.contractor.name,
                },
                "roles": ["supplier"],
            },
        ],
        "buyer": buyer,
        "awards": [
            {
                "id": award_id,
                "title": contract.title,
                "status": "active",
                "date": _moment(contract.award_date),
                "value": value,
                "suppliers": [supplier],
            }
        ],
        "contracts": [contract_data],
    }


def release_package(period: Period, *, uri: str, page: str) -> tuple[dict, str, list[dict]]:
    """The OCDS release package metadata, its list key and one release per contract."""
    meta = {
        "uri": uri,
        "version": "1.1",
        "publishedDate": timezone.now().isoformat(timespec="seconds"),
        "publisher": {"name": settings.MUNICIPALITY_NAME},
        "license": LICENSE_URL,
        "publicationPolicy": page,
    }
    releases = [
        release(contract, in_kind, cash, state, period)
        for contract, in_kind, cash, state in _contract_figures(_contracts(period), period)
    ]
    return meta, "releases", releases


def _with_prefix(text: str, prefix: str, placeholder: str, registered: str, own: str) -> str:
    """A standard's description and a sentence on its identifiers' prefix: the placeholder's
    warning, or that the prefix is the municipality's own."""
    sentence = registered if prefix == placeholder else own
    return f"{text} {sentence % {'prefix': prefix}}"


def _grants_description() -> str:
    return _with_prefix(
        _(
            "The allocations as a 360Giving data package (schema 1.4.3): one grant per "
            "allocation. The grant id is a 360Giving prefix plus our allocation number. The "
            "recipient is the initiative (identifier 'burgerkracht-initiatief-' plus its slug), "
            "the funder is the fund with the municipality, amountDisbursed is what the ledger "
            "paid out up to the reference date, beneficiaryLocation is the initiative's area and "
            "classifications are the leefgebieden of the decision (else of the initiative). A "
            "year without allocations has no package (the standard needs at least one grant)."
        ),
        grant_id_prefix(),
        PLACEHOLDER_GRANT_ID_PREFIX,
        _(
            "The prefix '%(prefix)s' is a placeholder: a municipality must register its own "
            "prefix with 360Giving before publishing there."
        ),
        _("The prefix '%(prefix)s' is the municipality's own, registered with 360Giving."),
    )


def _releases_description() -> str:
    return _with_prefix(
        _(
            "The contracts as an OCDS 1.1.5 release package: one release per contract, with the "
            "municipality as buyer, the contractor as supplier (identifier scheme NL-KVK, its "
            "Chamber of Commerce number), the award and the contract with its value in EUR, "
            "period and status (running: active; completed or terminated: terminated). OCDS "
            "has no field for social return, so the obligation and its fulfilment are one "
            "milestone in contracts/implementation/milestones with code 'social-return', type "
            "'delivery', dueDate the fulfilment deadline, status met, scheduled, partiallyMet "
            "or notMet, and a description with the obligation, what was fulfilled in kind and "
            "in cash, and what remains (the machine-readable figures are in the contracts "
            "dataset). A release shows the contract on the reference date and has a new id for "
            "each reference date. A year without contracts has no package (the standard needs "
            "at least one release)."
        ),
        ocid_prefix(),
        PLACEHOLDER_OCID_PREFIX,
        _(
            "The ocid prefix '%(prefix)s' is a placeholder: a municipality must register its "
            "own prefix with the Open Contracting Partnership."
        ),
        _(
            "The ocid prefix '%(prefix)s' is the municipality's own, registered with the Open "
            "Contracting Partnership."
        ),
    )


@dataclass(frozen=True)
class Standard:
    name: str
    title: Promise
    description: Promise
    source: str  # the plain dataset whose years it follows
    build: Callable[..., tuple[dict, str, list[dict]]]


STANDARDS: dict[str, Standard] = {
    "toekenningen-360giving": Standard(
        name="toekenningen-360giving",
        title=_("Allocations in the 360Giving Data Standard"),
        description=lazy(_grants_description, str)(),
        source="toekenningen",
        build=grants_package,
    ),
    "contracten-ocds": Standard(
        name="contracten-ocds",
        title=_("Contracts in the Open Contracting Data Standard"),
        description=lazy(_releases_description, str)(),
        source="contracten",
        build=release_package,
    ),
}
