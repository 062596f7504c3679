"""Proposals through their life cycle, their attachments and the discussion (comments, advice)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from common.models import AuditHistory, changed
from initiatives.models import Classification
from security.uploads import RandomName, validate_document
from sroi.models.fields import MoneyField

from .bodies import Body, DecisionRule

# Module level, so the services can write one audit row for fields and areas together.
proposal_history = AuditHistory(m2m_fields=["areas", "leefgebieden"])


# What a vote was about and under which rule: fixed from the moment voting opens (the rule's
# snapshot is taken then), in the database too, so nobody changes the question, its money or its
# rule after the votes came in.
FIXED_ONCE_VOTING = (
    "rule_snapshot",
    "composition_snapshot",
    "kind",
    "method",
    "body",
    "decision_rule",
    "fund",
    "initiative",
    "amount",
    "opens_at",
    "closes_at",
)

# A vote closes at its closing time and not before, by the database's own clock: the beat closes
# it within a minute after, and a web server's clock may run ahead. So nobody cuts a vote short
# with SQL when the count looks good to them (the closing time itself is fixed once voting
# opens: FIXED_ONCE_VOTING). Withdrawing stays possible: its votes are never counted.
STILL_OPEN = "a vote closes and is decided at its closing time, not before"
CLOSES_AT_ITS_TIME = f"""
IF OLD.status = 'voting' AND NEW.status IN ('counting', 'adopted', 'rejected', 'executed')
        AND statement_timestamp() < OLD.closes_at THEN
    RAISE EXCEPTION 'governance: {STILL_OPEN} (proposal %)', OLD.id;
END IF;
RETURN NEW;
"""


class Proposal(models.Model):
    """A proposal to a deciding body, or to the community in a poll, and its life cycle."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        # Carries fund, initiative, amount, purpose and leefgebieden; carried out in the ledger.
        FUND_ALLOCATION = "fund_allocation", _("Fund allocation")
        # Several allocations from one fund, decided as one (a budget round's outcome); the
        # lines are `ProposalLine`s, made only by `services.create_package_proposal`.
        FUND_PACKAGE = "fund_package", _("Fund allocation package")

    class Method(models.TextChoices):
        BOARD = "board", _("Vote of a body (roll-call)")
        POLL = "poll", _("Community-wide poll (secret ballot)")

    class Status(models.TextChoices):
        CONCEPT = "draft", _("Draft")
        DISCUSSION = "in_discussion", _("Under discussion")
        VOTING = "voting", _("Voting")
        # A sealed poll after its window: waiting for the trustees' keys and the tally.
        COUNTING = "counting", _("Being counted")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXECUTED = "executed", _("Carried out")

    DECIDED = (Status.ADOPTED, Status.REJECTED, Status.EXECUTED)
    PUBLIC = (
        Status.DISCUSSION,
        Status.VOTING,
        Status.COUNTING,
        Status.ADOPTED,
        Status.REJECTED,
        Status.WITHDRAWN,
        Status.EXECUTED,
    )

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    method = models.CharField(
        _("how it is decided"), max_length=10, choices=Method.choices, default=Method.BOARD
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("deciding body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("areas"),
        blank=True,
        related_name="proposals",
        help_text=_("For a poll: the verified community members of these areas vote."),
    )
    decision_rule = models.ForeignKey(
        DecisionRule,
        verbose_name=_("decision rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text=_("For a poll; a body's vote uses the body's rule."),
    )
    rule_snapshot = models.JSONField(
        _("rule in force"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The rule as it was when voting opened; it cannot change during the vote."),
    )
    composition_snapshot = models.JSONField(
        _("composition in force"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The rule's name and the seats with their sides when voting opened; later changes "
            "to the rule or the seats do not touch this vote."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    discussion_started_at = models.DateTimeField(
        _("discussion started"), null=True, blank=True, editable=False
    )
    opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    bulletin_hides_choices = models.BooleanField(
        _("publish tracking codes without choices"),
        default=False,
        help_text=_(
            "For a sensitive poll: the public list shows every tracking code, but not the choice."
        ),
    )
    # A fund allocation: what the decision grants; `governance.services.execute_decision`
    # books it in the ledger through `sroi.services.allocate`.
    fund = models.ForeignKey(
        "sroi.Fund",
        verbose_name=_("fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text=_("For a fund allocation: the fund the money comes from."),
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text=_("For a fund allocation: the initiative that receives the money."),
    )
    amount = MoneyField(
        _("amount"),
        null=True,
        blank=True,
        help_text=_("For a fund allocation: the amount in euros."),
    )
    purpose = models.TextField(
        _("purpose"),
        blank=True,
        help_text=_("For a fund allocation: what the money is for."),
    )
    leefgebieden = models.ManyToManyField(
        Classification,
        verbose_name=_("areas of life (leefgebieden)"),
        blank=True,
        limit_choices_to={"scheme": Classification.Scheme.LEEFGEBIED},
        related_name="proposals",
        help_text=_("For a fund allocation: the areas of life the money works on."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_prepared",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = proposal_history

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        triggers = [
            pgtrigger.Protect(
                name="proposal_fixed_once_voting",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__rule_snapshot__isnull=False)
                & pgtrigger.Q(
                    pgtrigger.Q(new__status__in=["draft", "in_discussion"]),
                    *changed(*FIXED_ONCE_VOTING),
                    _connector=pgtrigger.Q.OR,
                ),
            ),
            # Decided stays decided: a rejected proposal is never adopted afterwards, an
            # adopted one only becomes carried out, a carried-out one stays so. Withdrawn stays
            # withdrawn: withdrawing is allowed while voting is open, so a way back from it
            # would close a vote early (CLOSES_AT_ITS_TIME) or open it again.
            pgtrigger.Protect(
                name="proposal_decided_is_final",
                operation=pgtrigger.Update,
                condition=(
                    pgtrigger.Q(old__status="rejected") & ~pgtrigger.Q(new__status="rejected")
                )
                | (pgtrigger.Q(old__status="withdrawn") & ~pgtrigger.Q(new__status="withdrawn"))
                | (pgtrigger.Q(old__status="executed") & ~pgtrigger.Q(new__status="executed"))
                | (
                    pgtrigger.Q(old__status="adopted")
                    & ~pgtrigger.Q(new__status__in=["adopted", "executed"])
                ),
            ),
            pgtrigger.Trigger(
                name="proposal_closes_at_its_time",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=CLOSES_AT_ITS_TIME,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="board", body__isnull=False)
                | Q(method="poll", body__isnull=True),
                name="proposal_body_iff_board",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="proposal_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_discussion", "withdrawn"])
                | Q(opens_at__isnull=False, closes_at__isnull=False),
                name="proposal_voted_has_window",
            ),
            models.CheckConstraint(
                condition=~Q(kind="fund_allocation")
                | Q(
                    fund__isnull=False,
                    initiative__isnull=False,
                    amount__isnull=False,
                    amount__gt=0,
                ),
                name="proposal_allocation_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind="fund_package")
                | Q(fund__isnull=False, initiative__isnull=True, method="board"),
                name="proposal_package_has_fund_and_board",
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"], name="proposal_due_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:detail", args=[self.pk])

    @property
    def is_poll(self) -> bool:
        return self.method == self.Method.POLL

    @property
    def is_allocation(self) -> bool:
        return self.kind == self.Kind.FUND_ALLOCATION

    @property
    def is_package(self) -> bool:
        return self.kind == self.Kind.FUND_PACKAGE

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    def voting_is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.status == self.Status.VOTING
            and self.opens_at is not None
            and self.closes_at is not None
            and self.opens_at <= at < self.closes_at
        )


class Attachment(models.Model):
    """A document that belongs to a proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    # Stored under a random name; the name the person gave is only shown (see security.uploads).
    file = models.FileField(
        _("file"), upload_to=RandomName("voorstellen"), validators=[validate_document]
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    history = AuditHistory()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["proposal", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A contribution to the discussion: a comment, or formal advice."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        ADVICE = "advice", _("Formal advice of the advisory committee")
        YOUTH_ADVICE = "youth_advice", _("Advice of the youth council")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="proposal_comments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, editable=False)
    history = AuditHistory()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["proposal", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.proposal}"

    @property
    def is_advice(self) -> bool:
        return self.kind != self.Kind.COMMENT
