"""Every write about contracts, contractors and realisations, each with its audit row."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from notifications import selectors as notification_selectors
from notifications import services as notifications
from notifications.messages import in_each_language
from notifications.models import Kind as EventKind
from security.uploads import EVIDENCE, clean_upload, display_name

from ..formatting import format_money
from ..models import BuildingBlock, Contract, Contractor, Realisation
from ..selectors import catalogue_in_force
from ..valuation import hourly_value, months_between, person_year_value
from .bookkeeping import check_amount

CONTRACTOR_FIELDS = ["name", "kvk_number", "contact_name", "contact_email", "contact_phone"]
CONTRACT_FIELDS = [
    "reference",
    "title",
    "department",
    "contractor",
    "value",
    "award_date",
    "start_date",
    "end_date",
    "percentage",
    "threshold",
    "fulfilment_deadline",
    "obligation_kind",
    "status",
]
# Ten billion euro: no municipal contract is larger; above it is a typing error.
MAX_CONTRACT_VALUE = Decimal("10000000000.00")
MAX_HOURS_PER_WEEK = Decimal(60)


def _full_clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def _save(instance) -> None:
    # The audit user is the service's actor (`common.services.audit_user`).
    instance.save()


def _set_fields(instance, allowed: list[str], fields: dict) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"unknown field {name}")
        setattr(instance, name, value)


# --- Contractors -------------------------------------------------------------------------------


# The demo data records contractors, contracts and realisations as the system (actor=None).
@service("sroi.manage_contracts", system=True)
def create_contractor(*, actor: User | None, **fields) -> Contractor:
    """Register a contractor (name, KvK number, contact)."""
    contractor = Contractor()
    _set_fields(contractor, CONTRACTOR_FIELDS, fields)
    _full_clean(contractor)
    _save(contractor)
    return contractor


@service("sroi.manage_contracts", obj="contractor")
def update_contractor(*, contractor: Contractor, actor: User, **fields) -> Contractor:
    """Change a contractor's name, KvK number or contact."""
    contractor = Contractor.objects.select_for_update().get(pk=contractor.pk)
    _set_fields(contractor, CONTRACTOR_FIELDS, fields)
    _full_clean(contractor)
    _save(contractor)
    return contractor


# --- Contracts ---------------------------------------------------------------------------------


def _check_contract(contract: Contract) -> None:
    if contract.fulfilment_deadline is None:
        contract.fulfilment_deadline = contract.end_date
    errors: dict[str, list[str]] = {}
    if contract.value is not None and contract.value > MAX_CONTRACT_VALUE:
        errors.setdefault("value", []).append(
            _("A contract value above ten billion euro is surely a typing error.")
        )
    if contract.start_date and contract.end_date and contract.end_date < contract.start_date:
        errors.setdefault("end_date", []).append(_("The end date is before the start date."))
    if contract.award_date and contract.end_date and contract.award_date > contract.end_date:
        errors.setdefault("award_date", []).append(_("The award date is after the end date."))
    if (
        contract.start_date
        and contract.fulfilment_deadline
        and contract.fulfilment_deadline < contract.start_date
    ):
        errors.setdefault("fulfilment_deadline", []).append(
            _("The fulfilment deadline is before the start date.")
        )
    if contract.percentage is not None and not (0 <= contract.percentage <= 100):
        errors.setdefault("percentage", []).append(_("A percentage is between 0 and 100."))
    if errors:
        raise ValidationError(errors)
    _full_clean(contract)


@service("sroi.manage_contracts", system=True)
def create_contract(*, actor: User | None, **fields) -> Contract:
    """Register a contract; its obligation follows from value, percentage and threshold."""
    contract = Contract()
    _set_fields(contract, CONTRACT_FIELDS, fields)
    _check_contract(contract)
    _save(contract)
    return contract


@service("sroi.manage_contracts", obj="contract")
def update_contract(*, contract: Contract, actor: User, **fields) -> Contract:
    """Change a contract; its obligation follows again from value, percentage and threshold."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _set_fields(contract, CONTRACT_FIELDS, fields)
    _check_contract(contract)
    _save(contract)
    return contract


# --- Realisations ------------------------------------------------------------------------------


def _check_period(contract: Contract, start: datetime.date, end: datetime.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    last = contract.fulfilment_deadline or contract.end_date
    if start < contract.start_date or start > last or (end is not None and end > last):
        raise ValidationError(
            {
                "start_date": _(
                    "The period must fall within the contract: from %(start)s to the fulfilment "
                    "deadline %(deadline)s."
                )
                % {"start": date_format(contract.start_date), "deadline": date_format(last)}
            }
        )


def _value_of(
    block: BuildingBlock,
    bonuses: list[BuildingBlock],
    *,
    start_date,
    end_date,
    months,
    hours_per_week,
    quantity,
    invoice_amount,
    person_reference: str,
) -> tuple[Decimal, dict]:
    """The realisation's value and the fields that go with its block's kind."""
    Kind = BuildingBlock.Kind
    if block.kind == Kind.PERSON_YEAR:
        errors = {}
        if not person_reference:
            errors["person_reference"] = _("A placement needs a pseudonymous person reference.")
        if hours_per_week is None or not (0 < hours_per_week <= MAX_HOURS_PER_WEEK):
            errors["hours_per_week"] = _("Enter the hours per week, more than 0 and at most 60.")
        if months is None and end_date is None:
            errors["months"] = _("Enter the end date or the number of months.")
        elif months is not None and not (0 < months <= 120):
            errors["months"] = _("Enter a number of months between 0 and 120.")
        if errors:
            raise ValidationError(errors)
        if months is None:
            months = months_between(start_date, end_date)
        value = person_year_value(
            year_value=block.value,
            hours_per_week=hours_per_week,
            months=months,
            max_months=block.max_months,
            bonuses=[bonus.value for bonus in bonuses],
        )
        bonus_amount = sum((bonus.value for bonus in bonuses), Decimal("0.00"))
        return value, {
            "months": months,
            "hours_per_week": hours_per_week,
            "bonus_amount": bonus_amount,
        }
    if bonuses:
        raise ValidationError({"bonuses": _("Bonuses count only on a placement of a person.")})
    if block.kind == Kind.HOURLY:
        if quantity is None or not (0 < quantity <= 100000):
            raise ValidationError({"quantity": _("Enter the number of hours, more than 0.")})
        return hourly_value(rate=block.value, hours=quantity), {"quantity": quantity}
    if block.kind == Kind.INVOICE:
        if invoice_amount is None:
            raise ValidationError({"invoice_amount": _("Enter the invoice amount excl. VAT.")})
        amount = check_amount(invoice_amount, field="invoice_amount")
        return amount, {"invoice_amount": amount}
    raise ValidationError(
        {
            "block": _(
                "A cash payment is recorded as a contribution to the fund, not as a realisation."
            )
        }
    )


def _check_blocks(contract: Contract, block: BuildingBlock, bonuses: list[BuildingBlock]) -> None:
    """The block and its bonuses come from the catalogue in force at the contract's award date,
    and a bonus is never claimed alone."""
    catalogue = catalogue_in_force(contract.award_date)
    if catalogue is None or block.catalogue_id != catalogue.pk:
        raise ValidationError(
            {
                "block": _(
                    "This building block is not in the catalogue in force at the contract's "
                    "award date (%(date)s)."
                )
                % {"date": date_format(contract.award_date)}
            }
        )
    if block.kind == BuildingBlock.Kind.BONUS:
        raise ValidationError({"block": _("A bonus is added to a placement, not claimed alone.")})
    if any(
        bonus.kind != BuildingBlock.Kind.BONUS or bonus.catalogue_id != catalogue.pk
        for bonus in bonuses
    ):
        raise ValidationError({"bonuses": _("Choose bonuses of the same catalogue.")})


@service("sroi.claim_realisation", obj="contract", system=True)
def claim_realisation(
    *,
    contract: Contract,
    block: BuildingBlock,
    target_group: str,
    start_date: datetime.date,
    actor: User | None,
    end_date: datetime.date | None = None,
    months: Decimal | None = None,
    hours_per_week: Decimal | None = None,
    quantity: Decimal | None = None,
    invoice_amount: Decimal | None = None,
    bonuses: Iterable[BuildingBlock] = (),
    person_reference: str = "",
    description: str = "",
    evidence=None,
) -> Realisation:
    """Record a contractor's reported realisation (with evidence) for verification.

    The value is computed from the block in force at the contract's award date; the period must
    fall within the contract.
    """
    bonuses = list(bonuses)
    person_reference = person_reference.strip()
    _check_blocks(contract, block, bonuses)
    _check_period(contract, start_date, end_date)
    value, extra = _value_of(
        block,
        bonuses,
        start_date=start_date,
        end_date=end_date,
        months=months,
        hours_per_week=hours_per_week,
        quantity=quantity,
        invoice_amount=invoice_amount,
        person_reference=person_reference,
    )
    realisation = Realisation(
        contract=contract,
        block=block,
        target_group=target_group,
        person_reference=person_reference,
        start_date=start_date,
        end_date=end_date,
        description=description.strip(),
        value=value,
        claimed_by=actor,
        **extra,
    )
    if evidence:
        # The type is read from the content; the stored copy has a random name.
        realisation.evidence = clean_upload(evidence, allowed=EVIDENCE)
        realisation.evidence_name = display_name(evidence)
    _full_clean(realisation, exclude=["evidence"])
    _save(realisation)
    if bonuses:
        realisation.bonuses.set(bonuses)
    _tell_to_verify(realisation, actor)
    return realisation


def _tell_to_verify(realisation: Realisation, actor: User | None) -> None:
    """The civil servants who may verify a claim are told; four eyes: not whoever claimed it."""
    notifications.emit(
        kind=EventKind.REALISATION_TO_VERIFY,
        subject=f"sroi.realisation:{realisation.pk}",
        url=reverse("sroi:realisation", args=[realisation.pk]),
        recipients=notification_selectors.civil_servants(besides=actor),
        data={
            "contract": str(realisation.contract),
            "value": in_each_language(lambda: format_money(realisation.value)),
        },
    )


def _decide(
    realisation: Realisation, status: str, actor: User | None, reason: str = ""
) -> Realisation:
    realisation = Realisation.objects.select_for_update().get(pk=realisation.pk)
    if realisation.status != Realisation.Status.CLAIMED:
        raise ValidationError(
            _("This realisation is %(status)s already.")
            % {"status": realisation.get_status_display().lower()}
        )
    realisation.status = status
    realisation.rejection_reason = reason
    realisation.decided_by = actor
    realisation.decided_at = timezone.now()
    _save(realisation)
    return realisation


@service("sroi.verify_realisation", obj="realisation", system=True)
def verify_realisation(*, realisation: Realisation, actor: User | None) -> Realisation:
    """Accept a claimed realisation: from now on its value counts toward the obligation.

    Four eyes: the civil servant who claimed it cannot verify it (`actor=None` is the system).
    """
    claimed_by_id = Realisation.objects.filter(pk=realisation.pk).values_list(
        "claimed_by_id", flat=True
    )[0]
    if actor is not None and claimed_by_id == actor.pk:
        raise ValidationError(
            _("You recorded this realisation yourself. Another civil servant must verify it.")
        )
    return _decide(realisation, Realisation.Status.VERIFIED, actor)


@service("sroi.verify_realisation", obj="realisation", system=True)
def reject_realisation(*, realisation: Realisation, reason: str, actor: User | None) -> Realisation:
    """Refuse a claimed realisation, saying why (the contractor is told)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the realisation is rejected.")})
    return _decide(realisation, Realisation.Status.REJECTED, actor, reason)
