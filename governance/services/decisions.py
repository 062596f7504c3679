"""Carrying out an adopted decision (a fund allocation is booked in the ledger)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from sroi import services as ledger

from .. import notify
from ..models import (
    Decision,
    Proposal,
)
from .base import _lock, _require_status, _save
from .packages import book_package


def _executable(proposal: Proposal) -> None:
    """The state part of `governance.execute_decision`: adopted, and not carried out yet."""
    decision = Decision.objects.get(proposal=proposal)
    if not decision.adopted:
        raise ValidationError(_("Only an adopted proposal can be carried out."), code="rejected")
    if decision.executed_at is not None or decision.allocation_id is not None:
        raise ValidationError(_("This decision has already been carried out."), code="done")
    _require_status(proposal, Proposal.Status.ADOPTED)


@service(
    "governance.execute_decision",
    obj=lambda kw: _lock(kw["decision"].proposal),
    state=_executable,
    who="governance.prepare_proposal",
)
def execute_decision(*, decision: Decision, actor: User | None) -> Decision:
    """Carry out an adopted decision and mark the proposal carried out.

    A fund allocation is booked in the ledger (`sroi.services.allocate`) in this transaction,
    with the decision's reference and id, and linked back from the decision; a package books
    one allocation per line (`decision_line`), each pointing at the decision. When the ledger
    refuses (the fund no longer has the money), nothing is written and the proposal stays
    adopted. A decision is carried out once; a rejected one never. The allocation is dated today.

    Only a civil servant carries out (not an administrator, not a superuser without the role,
    not the system). Requests at the same moment wait on the proposal's row lock (the rule is
    asked of it locked); the first carries it out, the others are refused with code "done" and
    write nothing.
    """
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    proposal = _lock(decision.proposal)
    now = timezone.now()
    if proposal.is_allocation or proposal.is_package:
        try:
            if proposal.is_package:
                book_package(
                    proposal=proposal, decision=decision, actor=actor, date=timezone.localdate(now)
                )
            else:
                decision.allocation = ledger.allocate(
                    fund=proposal.fund,
                    initiative=proposal.initiative,
                    amount=proposal.amount,
                    purpose=proposal.purpose or proposal.title,
                    decision_reference=decision.reference,
                    decision_id=decision.pk,
                    date=timezone.localdate(now),
                    actor=actor,
                )
        except ValidationError as error:
            raise ValidationError(
                _(
                    "The money could not be allocated, so the decision is not carried out and "
                    "nothing has changed: %(reason)s"
                )
                % {"reason": " ".join(error.messages)},
                code="ledger",
            ) from error
    decision.executed_at = now
    decision.executed_by = actor
    decision._history_user = actor
    decision.save(update_fields=["executed_at", "executed_by", "allocation"])
    proposal.status = Proposal.Status.EXECUTED
    _save(proposal, actor)
    notify.carried_out(proposal)
    return decision
