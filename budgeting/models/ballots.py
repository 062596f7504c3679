"""Ballots: one per resident per round across all channels (online, paper, with help), and
the plans each one chose."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import refuse_rewrites
from governance.models.officing import CheckIn, not_at_a_closed_location
from notifications.models import Kind, notice_rules, told_by, waiting_notices

from . import round_rules
from .rounds import Plan, Round


class BallotChannel(models.TextChoices):
    """How a budget-round ballot was cast (`Ballot.Channel`)."""

    ONLINE = "online", _("Online")
    PAPER = "paper", _("On paper at a Community Home")
    ASSISTED = "assisted", _("With help, on the station's screen")


class Ballot(models.Model):
    """One resident's approval ballot in a round: the plans they chose. One per resident,
    whatever the channel: online, on paper at a Community Home, or assisted on the station's
    screen (the last two entered by an officer in a check-in shift there, who is recorded).

    Budget-round ballots are not secret (Pabulib publishes them without voters); who voted is
    personal data and is never shown or exported."""

    Channel = BallotChannel

    round = models.ForeignKey(
        Round,
        verbose_name=_("budget round"),
        on_delete=models.PROTECT,
        related_name="ballots",
        db_index=False,  # a unique constraint or index begins with it
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="budget_ballots",
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now, editable=False)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    # Paper and assisted ballots: who entered it, where, in which shift, and how they checked
    # who the resident is (the Community Home's check-in, `governance.officing`).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.ForeignKey(
        "governance.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_ballots",
    )
    shift = models.ForeignKey(
        "governance.OfficerShift",
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_ballots",
    )
    identity_check = models.CharField(
        _("identity checked by"), max_length=20, blank=True, choices=CheckIn.IdentityCheck.choices
    )
    # The transaction that cast it, written by the database (PostgreSQL): its choices come in
    # that transaction and never later (`round_rules.CHOICE_WITH_ITS_BALLOT`).
    cast_in = models.BigIntegerField(_("cast in transaction"), null=True, editable=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="budget_ballot_one_per_voter"),
            # Online: nobody else entered it. Paper or assisted: an officer at a location did.
            models.CheckConstraint(
                condition=(
                    Q(channel=BallotChannel.ONLINE)
                    & Q(entered_by__isnull=True, location__isnull=True, shift__isnull=True)
                    & Q(identity_check="")
                )
                | (
                    Q(channel__in=[BallotChannel.PAPER, BallotChannel.ASSISTED])
                    & Q(entered_by__isnull=False, location__isnull=False, shift__isnull=False)
                    & ~Q(identity_check="")
                ),
                name="budget_ballot_channel_entered_by",
            ),
        ]
        triggers = [
            refuse_rewrites("budget_ballot_append_only"),
            pgtrigger.Trigger(
                name="budget_ballot_only_while_voting",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=round_rules.BALLOT_IN_THE_WINDOW,
            ),
            not_at_a_closed_location("budget_ballot_not_at_a_closed_location"),
            pgtrigger.Trigger(
                name="budget_ballot_cast_in",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=round_rules.BALLOT_TRANSACTION,
            ),
            pgtrigger.Trigger(
                name="budget_ballot_voter_in_the_electorate",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=round_rules.BALLOT_BY_THE_ELECTORATE,
            ),
            pgtrigger.Trigger(
                name="budget_ballot_tells_the_voter",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                func=round_rules.BALLOT_TELLS_THE_VOTER,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"


class BallotChoice(models.Model):
    """One plan chosen on a ballot."""

    ballot = models.ForeignKey(
        Ballot,
        verbose_name=_("ballot"),
        on_delete=models.PROTECT,
        related_name="choices",
        db_index=False,  # a unique constraint or index begins with it
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="choices"
    )

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["ballot", "plan"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "plan"], name="budget_choice_once")
        ]
        triggers = [
            refuse_rewrites("budget_choice_append_only"),
            pgtrigger.Trigger(
                name="budget_choice_with_its_ballot",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=round_rules.CHOICE_WITH_ITS_BALLOT,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot} → {self.plan}"


class BallotNotice(models.Model):
    """A "you voted" notice: written in the ballot's transaction (on PostgreSQL by the ballot's
    trigger, also for a ballot written by SQL; on SQLite by the service), so a ballot always
    gets its notice, and marked told once its voter's message is written
    (`budgeting.notify.tell_voters`, a transactional outbox as governance's
    `ParticipationNotice`). It holds no choice. In the database it is never deleted or
    rewritten, and `told` is the voter's own message on the site about this round
    (`notifications.models.notice_rules`), which stays while the notice points at it."""

    ballot = models.OneToOneField(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="+"
    )
    moment = models.DateTimeField(_("moment"))
    told = told_by()

    class Meta:
        verbose_name = _("ballot notice")
        verbose_name_plural = _("ballot notices")
        ordering = ["id"]
        indexes = [waiting_notices("ballotnotice_waiting")]
        triggers = notice_rules(
            name="budget_ballot_notice",
            what="budgeting",
            kind=Kind.BUDGET_BALLOT.value,
            voter="(SELECT voter_id FROM budgeting_ballot WHERE id = NEW.ballot_id)",
            subject="'budgeting.round:' || (SELECT round_id FROM budgeting_ballot "
            "WHERE id = NEW.ballot_id) || ':ballot'",
        )

    def __str__(self) -> str:
        return str(self.ballot)
