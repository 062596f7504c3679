"""Decisions: the outcome of a vote, its frozen tally, and whether it was carried out."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import AuditHistory, changed

from .. import tally
from .proposals import Proposal


class Decision(models.Model):
    """The outcome of a closed vote with its tally, stored as numbers; one per proposal."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=[
            (tally.ADOPTED, _("Adopted")),
            (tally.REJECTED, _("Rejected")),
        ],
    )
    tally = models.JSONField(_("tally"), editable=False)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now, editable=False)
    executed_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The ledger's side of a carried-out fund allocation; the allocation points back with
    # `decision_id` and `decision_reference` (sroi does not import governance).
    allocation = models.OneToOneField(
        "sroi.Allocation",
        verbose_name=_("allocation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="governance_decision",
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            # Carried out means: by someone, at a moment; an allocation only once carried out.
            models.CheckConstraint(
                condition=Q(executed_at__isnull=True, executed_by__isnull=True)
                | Q(executed_at__isnull=False),
                name="decision_executed_by_only_when_executed",
            ),
            models.CheckConstraint(
                condition=Q(allocation__isnull=True)
                | Q(executed_at__isnull=False, outcome=tally.ADOPTED),
                name="decision_allocation_only_when_executed_and_adopted",
            ),
        ]
        # On PostgreSQL a carried-out decision can be neither changed nor deleted, by anyone;
        # and no decision, carried out or not, is deleted or changes what was decided: its
        # outcome and tally are checked against the votes when it is written (migration 0020),
        # so a rejected decision cannot become "adopted" afterwards.
        triggers = [
            pgtrigger.Protect(
                name="decision_executed_is_final",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__executed_at__isnull=False),
            ),
            pgtrigger.Protect(name="decision_is_kept", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="decision_outcome_is_final",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(
                    *changed("outcome", "tally", "proposal_id", "decided_at"),
                    _connector=pgtrigger.Q.OR,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.proposal}"

    @property
    def reference(self) -> str:
        """A stable reference for the ledger and the annual report, e.g. "BK-2025-0007"."""
        return self.reference_of(pk=self.pk, year=timezone.localtime(self.decided_at).year)

    @staticmethod
    def reference_of(*, pk: int, year: int) -> str:
        """The reference of decision `pk` decided in `year` (local time), for rows read as values."""
        return f"BK-{year}-{pk:04d}"

    @property
    def result(self) -> tally.TallyResult:
        return tally.TallyResult.from_dict(self.tally)

    @property
    def explanation(self) -> str:
        """The outcome in words, in the active language (rendered now, not stored); a poll
        with paper ballots says how many came by paper."""
        text = tally.explain(self.result)
        if self.tally.get("paper_locations"):
            # `explain` ends with a full stop; the paper count is a sentence of its own.
            text += " " + tally.explain_paper(
                paper=self.tally["paper"],
                blank=self.tally.get("paper_blank", 0),
                invalid=self.tally.get("paper_invalid", 0),
            )
        return text

    @property
    def adopted(self) -> bool:
        return self.outcome == tally.ADOPTED
