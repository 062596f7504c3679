"""Decisions: the outcome of a vote, its frozen tally, and whether it was carried out."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import connection, models
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import AuditHistory, changed

from .. import tally
from .proposals import STILL_OPEN, Proposal

# PostgreSQL gives every new decision the next number of its year, under a lock per year (two
# decisions at once wait for each other, and one rolled back takes no number with it), whatever
# number an INSERT brings. The year comes with the row (the local year, from `Decision.save`);
# written by SQL without one, it is the year in UTC; a year more than one away from the UTC
# year of `decided_at` is refused (no time zone is further than a day from UTC).
NUMBERED_IN_ITS_YEAR = """
    utc_year := extract(year FROM NEW.decided_at AT TIME ZONE 'UTC');
    IF NEW.year IS NULL OR NEW.year = 0 THEN
        NEW.year := utc_year;
    ELSIF NEW.year NOT BETWEEN utc_year - 1 AND utc_year + 1 THEN
        RAISE EXCEPTION 'A decision taken on % is not a decision of %.', NEW.decided_at, NEW.year;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('governance_decision.number'), NEW.year);
    NEW.number := COALESCE(
        (SELECT max(number) FROM governance_decision WHERE year = NEW.year), 0
    ) + 1;
    RETURN NEW;
"""

# A decision comes after its vote has closed, and is dated at or after the closing time: a
# decision written by SQL while the vote is open (with a tally that matches the votes so far)
# would otherwise stand, and the votes after it would not count. A vote still "voting" is decided
# only past its closing time by the database's own clock; one "being counted" was closed by that
# clock already (`CLOSES_AT_ITS_TIME`), so its count may come whenever the trustees are done.
DECIDED_AFTER_CLOSING = f"""
IF NOT EXISTS (SELECT 1 FROM governance_proposal WHERE id = NEW.proposal_id
               AND closes_at <= NEW.decided_at
               AND (status <> 'voting' OR closes_at <= statement_timestamp())) THEN
    RAISE EXCEPTION 'governance: {STILL_OPEN} (proposal %)', NEW.proposal_id;
END IF;
RETURN NEW;
"""  # noqa: S608 - our constants, no input


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
    # The reference BK-<year>-<number>: the year the decision was taken (local time) and its
    # place among that year's decisions, 1, 2, 3, ... without gaps. On PostgreSQL the database
    # gives the number (`decision_numbered_in_its_year`), also to a decision written by SQL;
    # elsewhere `save` does. Decisions from before numbers per year (governance migration
    # 0029) keep the number they were published with: their id.
    year = models.PositiveSmallIntegerField(_("year"), db_default=0, editable=False)
    number = models.PositiveIntegerField(_("number"), db_default=0, editable=False)
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
            models.UniqueConstraint(fields=["year", "number"], name="decision_number_once_a_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1, number__gte=1), name="decision_has_a_number"
            ),
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
                    *changed("outcome", "tally", "proposal_id", "decided_at", "year", "number"),
                    _connector=pgtrigger.Q.OR,
                ),
            ),
            pgtrigger.Trigger(
                name="decision_numbered_in_its_year",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                declare=[("utc_year", "integer")],
                func=NUMBERED_IN_ITS_YEAR,
            ),
            pgtrigger.Trigger(
                name="decision_after_the_vote_closes",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=DECIDED_AFTER_CLOSING,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.proposal}"

    def save(self, *args, **kwargs):
        """A new decision gets its year (local time) and, where the database does not give it,
        its number: the next of its year. SQLite writes one transaction at a time, so the
        number read here is still the next when the row is written."""
        if self._state.adding:
            self.year = timezone.localtime(self.decided_at).year
            if connection.vendor != "postgresql":
                highest = Decision.objects.filter(year=self.year).aggregate(n=Max("number"))["n"]
                self.number = (highest or 0) + 1
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """A stable reference for the ledger and the annual report, e.g. "BK-2025-0007"."""
        return self.reference_of(year=self.year, number=self.number)

    @staticmethod
    def reference_of(*, year: int, number: int) -> str:
        """The reference of decision `number` of `year`, for rows read as values."""
        return f"BK-{year}-{number:04d}"

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
