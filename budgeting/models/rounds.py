"""A round and its plans (frozen with the round; only a funded plan's initiative may be set
once after)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from common.models import AuditHistory, changed
from initiatives.models import Classification, Initiative
from sroi.models import Fund

from . import round_rules
from .base import FROZEN_PLAN_FIELDS, FROZEN_ROUND_FIELDS, _not_in_state


class Round(models.Model):
    """One budget round over one community fund, for the residents of one area."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IDEAS = "ideas", _("Collecting plans")
        REVIEW = "review", _("Plans are reviewed")
        FROZEN = "frozen", _("Frozen: the rules are fixed")
        VOTING = "voting", _("Voting")
        COMPUTED = "computed", _("Outcome computed")
        ADOPTION = "adoption", _("With the community board")
        COMMITTED = "committed", _("Adopted and booked")
        REJECTED = "rejected", _("Rejected by the community board")
        REPORTING = "reporting", _("Reporting")

    class BallotRule(models.TextChoices):
        APPROVAL = "approval", _("Choose at least the minimum number of plans")

    class TieBreak(models.TextChoices):
        LOWER_COST = "lower_cost", _("The cheaper plan first, then the earlier one")
        EARLIER = "earlier", _("The plan submitted first")

    OPEN_FOR_PLANS = (Status.DRAFT, Status.IDEAS, Status.REVIEW)

    title = models.CharField(_("title"), max_length=200)
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="budget_rounds"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="budget_rounds",
        help_text=_("Residents of this area (and the areas inside it) submit plans and vote."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    ballot_rule = models.CharField(
        _("ballot rule"), max_length=20, choices=BallotRule.choices, default=BallotRule.APPROVAL
    )
    min_plans = models.PositiveSmallIntegerField(
        _("minimum number of plans on a ballot"),
        default=3,
        help_text=_("A ballot with fewer plans is refused."),
    )
    tie_break = models.CharField(
        _("tie-break order"), max_length=20, choices=TieBreak.choices, default=TieBreak.LOWER_COST
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Set at freezing: the money available in the fund, in whole euros."),
    )
    # The Świecie rule (optional): a plan is paid for only with at least this share of the
    # round's ballots. Frozen with the other rules; 0 means the rule does not apply.
    min_vote_percent = models.PositiveSmallIntegerField(
        _("minimum share of the votes (%)"),
        default=0,
        help_text=_(
            "A plan can only be paid for when at least this percentage of the voters chose it. "
            "0: no minimum."
        ),
    )
    voting_opens_at = models.DateTimeField(_("voting opens at"), null=True, blank=True)
    voting_closes_at = models.DateTimeField(_("voting closes at"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    # Who votes, fixed at freezing (insider review F7, F8): the ids of the round's area and of
    # every area inside it then (moving an area later changes nothing), and the verification
    # `budget_vote` asked then ({"account_is_enough", "methods", "valid_days"}). See
    # `budgeting.electorate`; JSON, so that SQLite and PostgreSQL keep the same.
    electorate_area_ids = models.JSONField(
        _("areas of the voters"), null=True, blank=True, editable=False
    )
    vote_requirement = models.JSONField(
        _("verification asked to vote"), null=True, blank=True, editable=False
    )
    outcome = models.JSONField(_("outcome"), null=True, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    # The outcome put to the community board: one fund-allocation package (adoption).
    proposal = models.OneToOneField(
        "governance.Proposal",
        verbose_name=_("proposal to the community board"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="budget_round",
    )
    # Why the community board rejected the package: required when recording a rejection.
    rejection_reason = models.TextField(_("why the community board rejected it"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("budget round")
        verbose_name_plural = _("budget rounds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(min_plans__gte=1), name="round_min_plans_positive"),
            models.CheckConstraint(
                condition=Q(min_vote_percent__lte=100), name="round_min_vote_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "ideas", "review"]) | Q(budget__isnull=False),
                name="round_frozen_has_budget",
            ),
            models.CheckConstraint(
                condition=Q(frozen_at__isnull=True)
                | Q(electorate_area_ids__isnull=False, vote_requirement__isnull=False),
                name="round_frozen_has_electorate",
            ),
            models.CheckConstraint(
                condition=Q(voting_opens_at__isnull=True)
                | Q(voting_closes_at__isnull=True)
                | Q(voting_closes_at__gt=models.F("voting_opens_at")),
                name="round_window_in_order",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="round_no_delete", operation=pgtrigger.Delete),
            pgtrigger.Trigger(
                name="round_moves_forward",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=round_rules.ROUND_MOVES_FORWARD,
            ),
            pgtrigger.Trigger(
                name="round_computed_after_voting_closes",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=round_rules.COMPUTED_AFTER_CLOSING,
            ),
            # Once frozen, the rules, the budget and the window stay; the round never goes back
            # to a state where they could change, and a computed outcome is never rewritten.
            pgtrigger.Protect(
                name="round_frozen_rules_stay",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__frozen_at__isnull=False)
                & pgtrigger.Q(
                    pgtrigger.Q(new__status__in=["draft", "ideas", "review"]),
                    pgtrigger.Q(old__frozen_at__df=pgtrigger.F("new__frozen_at")),
                    pgtrigger.Q(old__voting_opens_at__df=pgtrigger.F("new__voting_opens_at")),
                    pgtrigger.Q(old__voting_closes_at__df=pgtrigger.F("new__voting_closes_at")),
                    *changed(*FROZEN_ROUND_FIELDS),
                    _connector=pgtrigger.Q.OR,
                ),
            ),
            pgtrigger.Protect(
                name="round_proposal_stays",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__proposal_id__isnull=False)
                & pgtrigger.Q(old__proposal_id__df=pgtrigger.F("new__proposal_id")),
            ),
            # The board's written reason for a rejection, once recorded, is never rewritten.
            pgtrigger.Protect(
                name="round_rejection_reason_stays",
                operation=pgtrigger.Update,
                condition=~pgtrigger.Q(old__rejection_reason="")
                & pgtrigger.Q(old__rejection_reason__df=pgtrigger.F("new__rejection_reason")),
            ),
            pgtrigger.Protect(
                name="round_outcome_stays",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__computed_at__isnull=False)
                & (
                    pgtrigger.Q(old__outcome__df=pgtrigger.F("new__outcome"))
                    | pgtrigger.Q(old__computed_at__df=pgtrigger.F("new__computed_at"))
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:round", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Plan(models.Model):
    """A plan residents can vote for: what it is, what it costs, and the civil servant's review."""

    class Feasibility(models.TextChoices):
        PENDING = "pending", _("Not reviewed yet")
        FEASIBLE = "feasible", _("Feasible")
        UNFEASIBLE = "unfeasible", _("Not feasible")

    round = models.ForeignKey(
        Round,
        verbose_name=_("budget round"),
        on_delete=models.PROTECT,
        related_name="plans",
        db_index=False,  # a unique constraint or index begins with it
    )
    number = models.PositiveIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("Given at freezing, in the tie-break order: on a tie the lower number wins."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    cost = models.DecimalField(
        _("cost"),
        max_digits=14,
        decimal_places=2,
        help_text=_("In whole euros."),
    )
    leefgebieden = models.ManyToManyField(
        Classification,
        verbose_name=_("areas of life (leefgebieden)"),
        blank=True,
        limit_choices_to={"scheme": Classification.Scheme.LEEFGEBIED},
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="budget_plans",
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative from the register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_plans",
    )
    feasibility = models.CharField(
        _("feasibility"), max_length=20, choices=Feasibility.choices, default=Feasibility.PENDING
    )
    reviewed_cost = models.DecimalField(
        _("reviewed cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    locked = models.BooleanField(_("locked"), default=False, editable=False)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["number", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="plan_cost_positive"),
            models.CheckConstraint(
                condition=Q(reviewed_cost__isnull=True) | Q(reviewed_cost__gt=0),
                name="plan_reviewed_cost_positive",
            ),
            models.UniqueConstraint(fields=["round", "number"], name="plan_number_once_per_round"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="plan_locked_no_delete",
                operation=pgtrigger.Delete,
                condition=pgtrigger.Q(old__locked=True),
            ),
            pgtrigger.Protect(
                name="plan_locked_no_update",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__locked=True)
                & pgtrigger.Q(
                    pgtrigger.Q(old__initiative_id__isnull=False)
                    & pgtrigger.Q(old__initiative_id__df=pgtrigger.F("new__initiative_id")),
                    *changed(*FROZEN_PLAN_FIELDS),
                    _connector=pgtrigger.Q.OR,
                ),
            ),
            pgtrigger.Trigger(
                name="plan_stays_in_its_open_round",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=round_rules.PLAN_STAYS,
            ),
            pgtrigger.Trigger(
                name="plan_only_before_freezing",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=_not_in_state(
                    "budgeting_plan",
                    "round_id",
                    ("draft", "ideas", "review"),
                    "budgeting: plans are added only before the round is frozen",
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def vote_cost(self):
        """What the plan costs on the ballot: the reviewed cost when there is one."""
        return self.reviewed_cost if self.reviewed_cost is not None else self.cost
