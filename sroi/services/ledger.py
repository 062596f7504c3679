"""Every write in the community fund ledger (see sroi.models.ledger for why it is our own).

Each service runs in one transaction and first locks the fund's row (`SELECT … FOR UPDATE` on
PostgreSQL; SQLite serialises writers with IMMEDIATE transactions anyway), then reads balances,
checks them and writes. Two concurrent allocations from one fund therefore run one after the
other, and the second sees the first's entries. A refused operation raises ValidationError before
anything is written. Signs: a positive entry adds to an account; a fund's money is the sum of its
"available" and "allocated" accounts, and neither goes below zero.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from initiatives.models import Initiative
from notifications import services as notifications
from notifications.messages import in_each_language
from notifications.models import Kind as EventKind

from .. import ledger_selectors, promises
from ..formatting import format_money
from ..models import Account, Allocation, Contract, Fund, Transaction
from ..valuation import ZERO
from .bookkeeping import (
    allocation_open,
    allocation_with_initiative,
    balance,
    check_amount,
    check_date,
    contract_account,
    external_account,
    fund_account,
    initiative_account,
    lock_fund,
    post,
    refuse_over,
)

Kind = Transaction.Kind

# --- Funds -------------------------------------------------------------------------------------


# The demo data opens its fund and records its income as the system (actor=None).
@service("sroi.record_money", system=True)
def create_fund(*, name: str, actor: User | None, area=None, description: str = "") -> Fund:
    """Open a community fund with its two accounts (available, allocated)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A fund needs a name.")})
    if Fund.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A fund with this name exists already.")})
    fund = Fund(name=name, slug=slugify(name)[:200] or "fonds", area=area, description=description)
    fund.save()
    for kind in Account.FUND_KINDS:
        fund_account(fund, kind)
    return fund


# --- Money in ----------------------------------------------------------------------------------


@service("sroi.record_money", obj="fund", system=True)
def record_contribution(
    *,
    fund: Fund,
    contract: Contract,
    amount,
    date: datetime.date,
    actor: User | None,
    description: str = "",
) -> Transaction:
    """A contractor's cash social-return payment into a fund, counted toward its contract.

    Refused when it would bring the cash paid for the contract above the contract's obligation.
    """
    amount = check_amount(amount)
    check_date(date, not_before=contract.award_date)
    fund = lock_fund(fund)
    source = contract_account(contract)
    paid = ledger_selectors.cash_paid_for(contract)
    room = max(contract.obligation - paid, ZERO)
    refuse_over(
        room,
        amount,
        _(
            "The contract's obligation leaves %(available)s to be paid in cash; %(amount)s is "
            "more than that."
        ),
    )
    return post(
        fund=fund,
        kind=Kind.SROI_CONTRIBUTION,
        date=date,
        lines=[(source, -amount), (fund_account(fund, Account.Kind.AVAILABLE), amount)],
        actor=actor,
        contract=contract,
        description=description.strip()
        or _("Social-return payment for %(contract)s") % {"contract": contract.reference},
    )


@service("sroi.record_money", obj="fund", system=True)
def record_other_income(
    *,
    fund: Fund,
    amount,
    date: datetime.date,
    description: str,
    actor: User | None,
    from_municipality: bool = True,
) -> Transaction:
    """Money into a fund from elsewhere, such as a municipal top-up; says where it came from."""
    amount = check_amount(amount)
    check_date(date)
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("Say where the money comes from.")})
    fund = lock_fund(fund)
    source = external_account(
        Account.Kind.MUNICIPALITY if from_municipality else Account.Kind.OTHER_INCOME
    )
    return post(
        fund=fund,
        kind=Kind.OTHER_INCOME,
        date=date,
        lines=[(source, -amount), (fund_account(fund, Account.Kind.AVAILABLE), amount)],
        actor=actor,
        description=description,
    )


# --- Allocations -------------------------------------------------------------------------------


def _refuse_promised(fund: Fund, available, amount, decision_id: int) -> None:
    """An allocation takes no money a budget round promised its residents (`sroi.promises`),
    but the round's own package (its decision) pays what its round promised."""
    others = promises.promised(fund, decision_id=decision_id)
    promised = promises.total(others)
    if amount > available - promised:
        raise ValidationError(
            {
                "amount": _(
                    "The fund has %(available)s available, but %(promised)s of it is promised "
                    "to residents in a budget round (%(rounds)s). Only %(free)s is free; an "
                    "allocation of %(amount)s is more than that."
                )
                % {
                    "available": format_money(available),
                    "promised": format_money(promised),
                    "rounds": promises.named(others),
                    "free": format_money(promises.free(available, others)),
                    "amount": format_money(amount),
                }
            },
            code="promised",
        )


# No rule of its own: governance carries out the decision (`governance.execute_decision`);
# the booking asks the money rule, so nobody without it books through this door either.
@service("sroi.record_money", obj="fund")
def allocate(
    *,
    fund: Fund,
    initiative: Initiative,
    amount,
    purpose: str,
    decision_id: int,
    decision_reference: str,
    actor: User,
    date: datetime.date | None = None,
    decision_line: int = 0,
) -> Allocation:
    """Book the allocation an adopted decision grants: the ledger half of carrying it out.

    Only `governance.services.execute_decision` calls this (one door for money): every
    allocation belongs to exactly one decision, or one line of a decision's package (unique
    `decision_id`, `decision_line`; on PostgreSQL a trigger checks the decision and the line).
    Moves the amount from the fund's available money to its allocated money; refused (nothing written) when the fund has less available on the date or any later
    day, also when allocations are made at the same time.
    """
    amount = check_amount(amount)
    date = date or timezone.localdate()
    check_date(date)
    purpose, decision_reference = purpose.strip(), decision_reference.strip()
    _check_allocation(initiative, purpose, decision_id, decision_reference)
    fund = lock_fund(fund)
    if Allocation.objects.filter(decision_id=decision_id, decision_line=decision_line).exists():
        raise ValidationError(_("This decision has already been carried out."), code="done")
    available_account = fund_account(fund, Account.Kind.AVAILABLE)
    available = balance(available_account)
    refuse_over(
        available,
        amount,
        _("The fund has %(available)s available; an allocation of %(amount)s is more than that."),
    )
    _refuse_promised(fund, available, amount, decision_id)
    allocation = Allocation(
        fund=fund,
        initiative=initiative,
        amount=amount,
        purpose=purpose,
        decision_reference=decision_reference,
        decision_id=decision_id,
        decision_line=decision_line,
        date=date,
        created_by=actor,
    )
    allocation.save()
    post(
        fund=fund,
        kind=Kind.ALLOCATION,
        date=date,
        lines=[(available_account, -amount), (fund_account(fund, Account.Kind.ALLOCATED), amount)],
        actor=actor,
        initiative=initiative,
        allocation=allocation,
        decision_reference=decision_reference,
        description=_("Allocation to %(initiative)s") % {"initiative": initiative.name},
    )
    return allocation


def _check_allocation(initiative: Initiative, purpose: str, decision_id, reference: str) -> None:
    """What an allocation needs before the fund is locked: a purpose, the decision, a live
    initiative; every missing part said at once."""
    errors = {}
    if not purpose:
        errors["purpose"] = _("Describe what the money is for.")
    if not decision_id or not reference:
        errors["decision_reference"] = _(
            "An allocation needs the reference of the community decision that adopted it."
        )
    if initiative.status == Initiative.Status.ENDED:
        errors["initiative"] = _("This initiative has ended; it cannot receive an allocation.")
    if errors:
        raise ValidationError(errors)


def _open_allocation(allocation: Allocation) -> Allocation:
    allocation = Allocation.objects.select_related("fund", "initiative").get(pk=allocation.pk)
    if allocation.status != Allocation.Status.OPEN:
        raise ValidationError(
            _("This allocation is %(status)s; nothing can be paid out any more.")
            % {"status": allocation.get_status_display().lower()}
        )
    return allocation


@service("sroi.record_money", obj="allocation")
def disburse(
    *, allocation: Allocation, amount, date: datetime.date, actor: User, description: str = ""
) -> Transaction:
    """Pay a tranche of an allocation to its initiative; never more than is still open."""
    amount = check_amount(amount)
    lock_fund(allocation.fund)
    allocation = _open_allocation(allocation)
    check_date(date, not_before=allocation.date)
    refuse_over(
        allocation_open(allocation),
        amount,
        _("Only %(available)s of this allocation is still to be paid out; %(amount)s is more."),
    )
    record = post(
        fund=allocation.fund,
        kind=Kind.DISBURSEMENT,
        date=date,
        lines=[
            (fund_account(allocation.fund, Account.Kind.ALLOCATED), -amount),
            (initiative_account(allocation.initiative), amount),
        ],
        actor=actor,
        initiative=allocation.initiative,
        allocation=allocation,
        decision_reference=allocation.decision_reference,
        description=description.strip()
        or _("Tranche to %(initiative)s") % {"initiative": allocation.initiative.name},
    )
    _tell_paid(allocation, amount, date)
    return record


def _tell(allocation: Allocation, kind: str, **data) -> None:
    """One event of an allocation's change. An initiative has no account: who proposed the
    allocation hears it."""
    # The reverse side of governance's link (sroi does not import governance).
    decision = getattr(allocation, "governance_decision", None)
    proposer = decision.proposal.created_by if decision is not None else None
    notifications.emit(
        kind=kind,
        subject=f"sroi.allocation:{allocation.pk}",
        url=allocation.get_absolute_url(),
        recipients=[proposer] if proposer is not None else [],
        data={
            "initiative": allocation.initiative.name,
            "fund": allocation.fund.name,
            **{
                key: in_each_language(lambda value=value: format_money(value))
                if isinstance(value, Decimal)
                else value
                for key, value in data.items()
            },
        },
    )


def _tell_paid(allocation: Allocation, amount: Decimal, date: datetime.date) -> None:
    """The payment's own date, not when it was recorded (a tranche is often booked later)."""
    paid_on = in_each_language(
        lambda: _("It was paid on %(date)s.") % {"date": formats.date_format(date, "DATE_FORMAT")}
    )
    _tell(allocation, EventKind.ALLOCATION_PAID, amount=amount, paid_on=paid_on)


@service("sroi.record_money", obj="allocation")
def return_unspent(
    *, allocation: Allocation, amount, date: datetime.date, actor: User, description: str = ""
) -> Transaction:
    """Money an initiative did not spend comes back to the fund's available money.

    At most what was paid out under the allocation and not returned already.
    """
    amount = check_amount(amount)
    lock_fund(allocation.fund)
    allocation = Allocation.objects.select_related("fund", "initiative").get(pk=allocation.pk)
    check_date(date, not_before=allocation.date)
    refuse_over(
        allocation_with_initiative(allocation),
        amount,
        _(
            "The initiative holds %(available)s paid out under this allocation; it cannot return "
            "%(amount)s."
        ),
    )
    record = post(
        fund=allocation.fund,
        kind=Kind.RETURN,
        date=date,
        lines=[
            (initiative_account(allocation.initiative), -amount),
            (fund_account(allocation.fund, Account.Kind.AVAILABLE), amount),
        ],
        actor=actor,
        initiative=allocation.initiative,
        allocation=allocation,
        decision_reference=allocation.decision_reference,
        description=description.strip()
        or _("Unspent money returned by %(initiative)s")
        % {"initiative": allocation.initiative.name},
    )
    _tell(allocation, EventKind.ALLOCATION_RETURNED, amount=amount)
    return record


@service("sroi.record_money", obj="allocation")
def close_allocation(
    *, allocation: Allocation, actor: User, date: datetime.date | None = None, reason: str = ""
) -> Transaction | None:
    """Close an allocation; what was not paid out goes back to the fund's available money."""
    date = date or timezone.localdate()
    lock_fund(allocation.fund)
    allocation = _open_allocation(allocation)
    check_date(date, not_before=allocation.date)
    remaining = allocation_open(allocation)
    record = None
    if remaining > 0:
        record = post(
            fund=allocation.fund,
            kind=Kind.RELEASE,
            date=date,
            lines=[
                (fund_account(allocation.fund, Account.Kind.ALLOCATED), -remaining),
                (fund_account(allocation.fund, Account.Kind.AVAILABLE), remaining),
            ],
            actor=actor,
            initiative=allocation.initiative,
            allocation=allocation,
            decision_reference=allocation.decision_reference,
            description=reason.strip() or _("Allocation closed; the rest is released"),
        )
    allocation.status = Allocation.Status.CLOSED
    allocation.save(update_fields=["status"])
    _tell(allocation, EventKind.ALLOCATION_CLOSED, released=max(remaining, ZERO))
    return record
