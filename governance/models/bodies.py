"""Who decides and how: choices, sides, decision rules, bodies and their seats."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import AuditHistory

from .. import tally


class Choice(models.TextChoices):
    FOR = tally.FOR, _("For")
    AGAINST = tally.AGAINST, _("Against")
    ABSTAIN = tally.ABSTAIN, _("Abstain")


class Side(models.TextChoices):
    """The side a seat (and so a vote) belongs to. Youth counts as community."""

    COMMUNITY = "community", _("Community (residents, experts by experience)")
    YOUTH = "youth", _("Youth council (counts with the community)")
    INSTITUTION = "institution", _("Institution (municipality, partners, professionals)")
    ADVISORY = "advisory", _("Advisory (no vote)")


COMMUNITY_SIDES = (Side.COMMUNITY, Side.YOUTH)
VOTING_SIDES = (Side.COMMUNITY, Side.YOUTH, Side.INSTITUTION)


class DecisionRule(models.Model):
    """How a vote is decided, as data (see `governance.tally`)."""

    class Quorum(models.TextChoices):
        NONE = tally.QUORUM_NONE, _("No quorum")
        MAJORITY = tally.QUORUM_MAJORITY, _("More than half of the electorate takes part")
        COUNT = tally.QUORUM_COUNT, _("At least a number of voters takes part")
        PERCENT = tally.QUORUM_PERCENT, _("At least a percentage of the electorate takes part")

    name = models.CharField(_("name"), max_length=120, unique=True)
    majority_percent = models.PositiveSmallIntegerField(
        _("majority (%)"),
        default=50,
        help_text=_(
            "Adopted with more votes for than this percentage of the votes for or against; "
            "50 means 50%+1, and a tie is rejected."
        ),
    )
    abstentions_count_toward_quorum = models.BooleanField(
        _("abstentions count toward the quorum"), default=True
    )
    quorum = models.CharField(
        _("quorum"), max_length=10, choices=Quorum.choices, default=Quorum.MAJORITY
    )
    quorum_value = models.PositiveIntegerField(
        _("quorum number or percentage"),
        default=0,
        help_text=_("Only for a quorum of a number of voters or a percentage."),
    )
    community_guarantee = models.BooleanField(
        _("community-majority guarantee"),
        default=True,
        help_text=_(
            "Adopted only if the community side (community and youth seats) also votes for "
            "with 50%+1, so institutions can never outvote the community."
        ),
    )
    min_discussion_days = models.PositiveSmallIntegerField(
        _("minimum discussion period (days)"),
        default=7,
        help_text=_(
            "Voting can open only this many days after the discussion started, so everyone "
            "has time to read, comment and advise."
        ),
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("decision rule")
        verbose_name_plural = _("decision rules")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(majority_percent__gte=50, majority_percent__lt=100),
                name="decisionrule_majority_50_to_99",
            ),
            models.CheckConstraint(
                condition=~Q(quorum="percent") | Q(quorum_value__lte=100),
                name="decisionrule_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def as_rule(self) -> tally.Rule:
        return tally.Rule(
            majority_percent=self.majority_percent,
            abstentions_count_toward_quorum=self.abstentions_count_toward_quorum,
            quorum=self.quorum,
            quorum_value=self.quorum_value,
            community_guarantee=self.community_guarantee,
        )


class Body(models.Model):
    """An organ: the community board, the youth council or the advisory committee."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Community board")
        YOUTH_COUNCIL = "youth_council", _("Youth council")
        ADVISORY_COMMITTEE = "advisory_committee", _("Advisory committee")

    DECIDING_KINDS = (Kind.BOARD, Kind.YOUTH_COUNCIL)

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    decision_rule = models.ForeignKey(
        DecisionRule,
        verbose_name=_("decision rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text=_("Required for a body that decides."),
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def decides(self) -> bool:
        return self.kind in self.DECIDING_KINDS


class Seat(models.Model):
    """A user holds a seat on a body for a period, on one side."""

    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="seats",
        db_index=False,  # a unique constraint or index begins with it
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="seats",
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Empty while the seat is held.")
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["body", "side", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="seat_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["body", "user", "starts_on"], name="seat_unique_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.user} ({self.get_side_display()})"

    @property
    def votes(self) -> bool:
        return self.side in VOTING_SIDES
