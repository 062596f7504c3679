"""The lines of a fund-allocation package: one decision that grants several allocations.

A budget round's outcome (issue 14) goes to the community board as ONE proposal of kind
`fund_package`; each line names an initiative, an amount and a purpose. Governance stays generic:
`source` is a label of whoever made the line ("budgeting.plan:12"), never a foreign key upward.
Lines are written with the proposal, while it is a draft, and never change: the board adopts or
rejects the package as a whole. Carrying out the adopted decision books one allocation per line
(`sroi.Allocation.decision_line` = the line's position); on PostgreSQL a trigger checks every
allocation against its line (governance migration 0010).
"""

import pgtrigger
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import refuse_rewrites
from sroi.models.fields import MoneyField

from .proposals import Proposal


class ProposalLine(models.Model):
    """One allocation of a fund-allocation package."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,  # a unique constraint or index begins with it
    )
    position = models.PositiveIntegerField(_("line"))
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="proposal_lines",
    )
    amount = MoneyField(_("amount"))
    purpose = models.TextField(_("purpose"))
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("Where the line comes from.")
    )

    class Meta:
        verbose_name = _("package line")
        verbose_name_plural = _("package lines")
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "position"], name="proposal_line_once"),
            models.CheckConstraint(condition=Q(position__gte=1), name="proposal_line_from_one"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="proposal_line_amount_positive"),
        ]
        triggers = [
            refuse_rewrites("proposal_line_append_only"),
            pgtrigger.Trigger(
                name="proposal_line_only_in_a_draft",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=(
                    "IF NOT EXISTS (SELECT 1 FROM governance_proposal WHERE id = NEW.proposal_id "
                    "AND status = 'draft' AND kind = 'fund_package') THEN RAISE EXCEPTION "
                    "'governance: package lines are written with a draft package only'; END IF; "
                    "RETURN NEW;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} #{self.position}"
