"""A fund-allocation package: one proposal, several allocations (a budget round's outcome).

Made only by `create_package_proposal` (budgeting calls it), as a draft with its lines; from there
it follows every proposal's life (discussion, a board's roll-call vote, the decision). It cannot
be changed (`update_proposal` refuses it): the board adopts or rejects the package as a whole.
Carrying it out books one allocation per line (`execute_decision`).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from sroi import services as ledger
from sroi.models import Fund

from ..models import Body, Proposal, ProposalLine
from .base import _save


@service("governance.prepare_proposal", system=True)
def create_package_proposal(
    *, actor: User | None, title: str, text: str, body: Body, fund: Fund, lines: list[dict]
) -> Proposal:
    """A draft package for `body`'s vote: `lines` are dicts with position (1, 2, ...),
    initiative, amount, purpose and source. The proposal's amount is their total."""
    if body is None or not body.decides:
        raise ValidationError({"body": _("Choose the body that decides.")})
    if not lines:
        raise ValidationError(_("A package needs at least one line."))
    positions = [line["position"] for line in lines]
    if len(set(positions)) != len(positions) or min(positions) < 1:
        raise ValidationError(_("Each line of a package has its own number, from 1."))
    amounts = [ledger.check_amount(line["amount"]) for line in lines]
    proposal = Proposal(
        title=title.strip(),
        text=text.strip(),
        kind=Proposal.Kind.FUND_PACKAGE,
        method=Proposal.Method.BOARD,
        body=body,
        fund=fund,
        amount=sum(amounts, start=Decimal(0)),
        purpose=title.strip(),
        created_by=actor,
    )
    proposal.full_clean(exclude=["rule_snapshot", "composition_snapshot"])
    _save(proposal, actor, created=True)
    ProposalLine.objects.bulk_create(
        ProposalLine(
            proposal=proposal, position=line["position"], initiative=line["initiative"],
            amount=amount, purpose=(line.get("purpose") or title).strip(),
            source=line.get("source", ""),
        )
        for line, amount in zip(lines, amounts, strict=True)
    )  # fmt: skip
    return proposal


def book_package(*, proposal: Proposal, decision, actor, date) -> None:
    """The ledger half of carrying out an adopted package: one allocation per line, through
    `sroi.services.allocate` (the one door), all in the caller's transaction."""
    for line in proposal.lines.select_related("initiative").order_by("position"):
        ledger.allocate(
            fund=proposal.fund,
            initiative=line.initiative,
            amount=line.amount,
            purpose=line.purpose,
            decision_reference=decision.reference,
            decision_id=decision.pk,
            decision_line=line.position,
            date=date,
            actor=actor,
        )
