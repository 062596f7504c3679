"""Bodies and their seats, decision rules, proposals, votes and decisions.

Two ways to vote on a proposal:
- a board vote (roll-call): the seat holders of a deciding body vote openly; `Vote` links a user to
  a choice and is public after the decision;
- a community-wide poll (secret ballot): `Participation` records *that* someone voted and `Ballot`
  *what* was chosen. A ballot has no link to a user, no time, and a random key, so nothing in the
  application (the admin included) can join one to the other.
Both have a frozen roll (`ElectorateEntry`) made when voting opens.
"""

import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Area
from initiatives.models import Classification
from security.uploads import RandomName, validate_document
from sroi.models.fields import MoneyField

from . import tally as counting


class Choice(models.TextChoices):
    FOR = counting.FOR, _("For")
    AGAINST = counting.AGAINST, _("Against")
    ABSTAIN = counting.ABSTAIN, _("Abstain")


class Side(models.TextChoices):
    """The side a seat (and so a vote) belongs to. Youth counts as community."""

    COMMUNITY = "community", _("Community (residents, experts by experience)")
    YOUTH = "youth", _("Youth council")
    INSTITUTION = "institution", _("Institution (municipality, partners, professionals)")
    ADVISORY = "advisory", _("Advisory (no vote)")


COMMUNITY_SIDES = (Side.COMMUNITY, Side.YOUTH)
VOTING_SIDES = (Side.COMMUNITY, Side.YOUTH, Side.INSTITUTION)


class DecisionRule(models.Model):
    """How a vote is decided, as data (see `governance.tally`)."""

    class Quorum(models.TextChoices):
        NONE = counting.QUORUM_NONE, _("No quorum")
        MAJORITY = counting.QUORUM_MAJORITY, _("More than half of the electorate takes part")
        COUNT = counting.QUORUM_COUNT, _("At least a number of voters takes part")
        PERCENT = counting.QUORUM_PERCENT, _("At least a percentage of the electorate takes part")

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
    history = HistoricalRecords()

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

    def as_rule(self) -> counting.Rule:
        return counting.Rule(
            majority_percent=self.majority_percent,
            abstentions_count_toward_quorum=self.abstentions_count_toward_quorum,
            quorum=self.quorum,
            quorum_value=self.quorum_value,
            community_guarantee=self.community_guarantee,
        )


class Body(models.Model):
    """An organ: the community board, the youth council or the advisory committee."""

    class Kind(models.TextChoices):
        BOARD = "bestuur", _("Community board")
        YOUTH_COUNCIL = "jongerenraad", _("Youth council")
        ADVISORY_COMMITTEE = "adviescommissie", _("Advisory committee")

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
    history = HistoricalRecords()

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
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="seats"
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
    history = HistoricalRecords()

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


# Module level, so the services can write one audit row for fields and areas together.
proposal_history = HistoricalRecords(m2m_fields=["areas", "leefgebieden"])


class Proposal(models.Model):
    """A proposal to a deciding body, or to the community in a poll, and its life cycle."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        # Carries fund, initiative, amount, purpose and leefgebieden; carried out in the ledger.
        FUND_ALLOCATION = "fund_allocation", _("Fund allocation")

    class Method(models.TextChoices):
        BOARD = "board", _("Vote of a body (roll-call)")
        POLL = "poll", _("Community-wide poll (secret ballot)")

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Draft")
        DISCUSSION = "ter_bespreking", _("Under discussion")
        VOTING = "in_stemming", _("Voting")
        # A sealed poll after its window: waiting for the trustees' keys and the tally.
        COUNTING = "wordt_geteld", _("Being counted")
        ADOPTED = "aangenomen", _("Adopted")
        REJECTED = "verworpen", _("Rejected")
        WITHDRAWN = "ingetrokken", _("Withdrawn")
        EXECUTED = "uitgevoerd", _("Carried out")

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
                condition=Q(status__in=["concept", "ter_bespreking", "ingetrokken"])
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
    history = HistoricalRecords()

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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["proposal", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.proposal}"

    @property
    def is_advice(self) -> bool:
        return self.kind != self.Kind.COMMENT


class ElectorateEntry(models.Model):
    """One person on the roll of a proposal, frozen when voting opens."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="electorate"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)

    class Meta:
        verbose_name = _("electorate entry")
        verbose_name_plural = _("electorate entries")
        ordering = ["proposal", "user"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="electorate_unique_voter")
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.user}"


class Vote(models.Model):
    """A seat holder's open (roll-call) vote; it can change until voting closes."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="votes",
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    choice = models.CharField(_("choice"), max_length=12, choices=Choice.choices)
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["proposal", "user"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="vote_one_per_voter"),
            models.CheckConstraint(
                condition=Q(choice__in=counting.CHOICES), name="vote_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.user}"


class Participation(models.Model):
    """The record that a person voted in a poll; it says nothing about what they chose.

    No time is kept: a time could be matched to the order in which ballots were stored.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["proposal", "user"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="participation_one_per_voter")
        ]
        triggers = [
            pgtrigger.Protect(
                name="participation_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return str(self.proposal)


class Ballot(models.Model):
    """A counted secret ballot: a choice and its tracking code, and nothing else.

    Written only by the tally of a sealed poll, all at once, shuffled, with fresh random keys:
    no user, no time, and an ordering by the random key, so neither the rows nor their order lead
    back to a voter. No history is kept (an audit row would record who and when).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="ballots"
    )
    choice = models.CharField(_("choice"), max_length=12, choices=Choice.choices)
    tracking_code = models.CharField(_("tracking code"), max_length=14, blank=True, default="")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__in=counting.CHOICES), name="ballot_choice_valid"
            )
        ]
        triggers = [
            pgtrigger.Protect(
                name="ballot_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return str(self.proposal)


class SealedBallot(models.Model):
    """A ballot cast in an open poll, encrypted with the poll's public key (`sealing`).

    Only ciphertext of one fixed length: no user, no time, no choice, a random key. The payload
    holds the choice, the tracking code, a keyed hash of the voter (to keep the last ballot per
    voter) and a counter. Deleted by the tally once the counted ballots are written.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="sealed_ballots",
    )
    ciphertext = models.BinaryField(_("ciphertext"))

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")
        ordering = ["id"]
        triggers = [
            pgtrigger.Protect(name="sealed_ballot_no_update", operation=pgtrigger.Update),
            # The tally lifts this one, inside its transaction only (`services.tally_poll`).
            pgtrigger.Protect(name="sealed_ballot_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return str(self.proposal)


class PollKey(models.Model):
    """The public key of a sealed poll, its private key wrapped, and the frozen roll's digest.

    The wrapping key exists only as the trustees' shares; the wrapped private key is erased when
    the tally is done (`destroyed_at`).
    """

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="poll_key"
    )
    public_key = models.BinaryField(_("public key"))
    wrapped_private_key = models.BinaryField(_("wrapped private key"), null=True)
    threshold = models.PositiveSmallIntegerField(_("keys needed"))
    trustee_count = models.PositiveSmallIntegerField(_("trustees"))
    roll_size = models.PositiveIntegerField(_("size of the roll"))
    roll_sha256 = models.CharField(_("SHA-256 of the roll"), max_length=64)
    destroyed_at = models.DateTimeField(_("key destroyed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("poll key")
        verbose_name_plural = _("poll keys")
        ordering = ["proposal"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1, threshold__lte=F("trustee_count")),
                name="pollkey_threshold_within_trustees",
            )
        ]

    def __str__(self) -> str:
        return str(self.proposal)


class TrusteeShare(models.Model):
    """A trustee's share of a poll's key. Stored only as a fingerprint, plus, for a short while,
    boxed under the server's key: until the trustee has seen it once, and from the moment it is
    entered to unlock until the tally."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="shares"
    )
    trustee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trustee"),
        on_delete=models.PROTECT,
        related_name="poll_shares",
    )
    index = models.PositiveSmallIntegerField(_("number"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    pickup_box = models.BinaryField(null=True, editable=False)
    picked_up_at = models.DateTimeField(_("seen by the trustee at"), null=True, blank=True)
    submitted_box = models.BinaryField(null=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    # The boxed shares stay out of the audit trail: it is kept for ever.
    history = HistoricalRecords(excluded_fields=["pickup_box", "submitted_box"])

    class Meta:
        verbose_name = _("trustee's share")
        verbose_name_plural = _("trustees' shares")
        ordering = ["proposal", "index"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "trustee"], name="share_one_per_trustee"),
            models.UniqueConstraint(fields=["proposal", "index"], name="share_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.trustee} ({self.index})"


class Decision(models.Model):
    """The outcome of a closed vote with its tally, stored as numbers; one per proposal."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=[
            (counting.ADOPTED, _("Adopted")),
            (counting.REJECTED, _("Rejected")),
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
    history = HistoricalRecords()

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
                | Q(executed_at__isnull=False, outcome=counting.ADOPTED),
                name="decision_allocation_only_when_executed_and_adopted",
            ),
        ]
        # On PostgreSQL a carried-out decision can be neither changed nor deleted, by anyone.
        triggers = [
            pgtrigger.Protect(
                name="decision_executed_is_final",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__executed_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.proposal}"

    @property
    def reference(self) -> str:
        """A stable reference for the ledger and the annual report, e.g. "BK-2025-0007"."""
        return f"BK-{timezone.localtime(self.decided_at).year}-{self.pk:04d}"

    @property
    def result(self) -> counting.TallyResult:
        return counting.TallyResult.from_dict(self.tally)

    @property
    def explanation(self) -> str:
        """The outcome in words, in the active language (rendered now, not stored)."""
        return counting.explain(self.result)

    @property
    def adopted(self) -> bool:
        return self.outcome == counting.ADOPTED
