"""Votes: the frozen roll, roll-call votes, secret ballots (plain and sealed) and the poll key.

A board vote links a user to a choice; a poll records *that* someone voted (`Participation`)
apart from *what* was chosen (`Ballot`, `SealedBallot`), with nothing to join the two.
"""

import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import AuditHistory, changed, refuse_rewrites

from .. import sealing, tally
from .bodies import Choice, Side
from .proposals import Proposal

# Inside the voting window by the database's own clock: a poll stays "voting" after its closing
# time until it is closed (the beat, within a minute), and the web server's clock may differ.
IN_THE_WINDOW = "AND opens_at <= statement_timestamp() AND statement_timestamp() < closes_at "
# The words of the refusals of a vote, a participation or a sealed ballot outside the window
# (the services turn them into "Voting has closed", `services.voting.closed_by_the_database`).
OUTSIDE_THE_WINDOW = "while voting is open only"


def while_the_proposal_is(
    statuses: tuple[str, ...], what: str, *, row: str = "NEW", in_window: bool = False
) -> str:
    """A PostgreSQL trigger that refuses writing a row unless its proposal's status is one of
    `statuses` (and, `in_window`, the database's clock is inside its voting window), read under
    FOR KEY SHARE: a closing in progress (FOR UPDATE) is waited for, and then its new status
    counts. The services check the same first, with a message in words."""
    listed = ", ".join(f"'{status}'" for status in statuses)
    window = IN_THE_WINDOW if in_window else ""
    return (
        f"IF NOT EXISTS (SELECT 1 FROM governance_proposal WHERE id = {row}.proposal_id "  # noqa: S608 - our constants
        f"AND status IN ({listed}) {window}FOR KEY SHARE) THEN RAISE EXCEPTION "
        f"'governance: {what} (proposal %)', {row}.proposal_id; END IF;"
    )


# The roll is made when voting opens (`services.open_voting`, while the proposal is still in
# discussion) and never changes after: nobody is added, removed or moved to another side.
BEFORE_VOTING = ("draft", "in_discussion")


class ElectorateEntry(models.Model):
    """One person on the roll of a proposal, frozen when voting opens."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="electorate",
        db_index=False,  # a unique constraint or index begins with it
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
        triggers = [
            refuse_rewrites("electorate_fixed"),
            pgtrigger.Trigger(
                name="electorate_made_before_voting",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=while_the_proposal_is(BEFORE_VOTING, "the roll is frozen once voting opens")
                + " RETURN NEW;",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.user}"


class Vote(models.Model):
    """A seat holder's open (roll-call) vote; it can change until voting closes."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="votes",
        db_index=False,  # a unique constraint or index begins with it
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
    history = AuditHistory()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["proposal", "user"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="vote_one_per_voter"),
            models.CheckConstraint(condition=Q(choice__in=tally.CHOICES), name="vote_choice_valid"),
        ]
        # Cast, changed or taken back only while voting is open, by someone on the roll, on
        # their side of it; after closing the roll-call stays as the decision counted it.
        triggers = [
            pgtrigger.Trigger(
                name="vote_only_while_voting",
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.Before,
                func=(
                    "IF TG_OP = 'DELETE' THEN "  # noqa: S608 - a trigger's text, no input
                    + while_the_proposal_is(
                        ("voting",),
                        f"votes change {OUTSIDE_THE_WINDOW}",
                        row="OLD",
                        in_window=True,
                    )  # fmt: skip
                    + " RETURN OLD; END IF; "
                    + while_the_proposal_is(
                        ("voting",), f"votes are cast {OUTSIDE_THE_WINDOW}", in_window=True
                    )
                    + " IF TG_OP = 'UPDATE' AND (NEW.proposal_id <> OLD.proposal_id "
                    "OR NEW.user_id <> OLD.user_id OR NEW.side <> OLD.side) THEN RAISE EXCEPTION "
                    "'governance: a vote changes its choice only'; END IF; "
                    "IF NOT EXISTS (SELECT 1 FROM governance_electorateentry WHERE "
                    "proposal_id = NEW.proposal_id AND user_id = NEW.user_id AND side = NEW.side) "
                    "THEN RAISE EXCEPTION 'governance: a vote comes from the roll, on its side "
                    "(proposal %)', NEW.proposal_id; END IF; RETURN NEW;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.user}"


class Participation(models.Model):
    """The record that a person voted in a poll; it says nothing about what they chose.

    No time is kept: a time could be matched to the order in which ballots were stored.
    The channel is how the person first took part; a paper vote after an online one is the
    `CheckIn` (paper) that supersedes it, since this row is never rewritten.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper at a location")
        ASSISTED = "assisted", _("Assisted at a location")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="participations",
        db_index=False,  # a unique constraint or index begins with it
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["proposal", "user"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="participation_one_per_voter")
        ]
        triggers = [
            refuse_rewrites("participation_append_only"),
            # Only while voting is open, and only someone on the roll.
            pgtrigger.Trigger(
                name="participation_only_while_voting",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=while_the_proposal_is(  # noqa: S608 - a trigger's text, no input
                    ("voting",), f"one takes part {OUTSIDE_THE_WINDOW}", in_window=True
                )
                + " IF NOT EXISTS (SELECT 1 FROM governance_electorateentry WHERE "
                "proposal_id = NEW.proposal_id AND user_id = NEW.user_id) THEN RAISE EXCEPTION "
                "'governance: only someone on the roll takes part (proposal %)', "
                "NEW.proposal_id; END IF; RETURN NEW;",
            ),
            # Every participation tells its voter, also one written by SQL (insider review F7):
            # its notice waits in the same transaction until the beat writes the event.
            pgtrigger.Trigger(
                name="participation_tells_the_voter",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                func="INSERT INTO governance_participationnotice (proposal_id, user_id, moment) "
                "VALUES (NEW.proposal_id, NEW.user_id, statement_timestamp()); RETURN NULL;",
            ),
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
                condition=Q(choice__in=tally.CHOICES), name="ballot_choice_valid"
            )
        ]
        triggers = [
            refuse_rewrites("ballot_append_only"),
            # Counted ballots come with the count (or, for a poll without a key, while voting);
            # none is added after the decision.
            pgtrigger.Trigger(
                name="ballot_only_until_counted",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=while_the_proposal_is(
                    ("voting", "counting"), "no ballot is added after the count"
                )
                + " RETURN NEW;",
            ),
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
            pgtrigger.Trigger(
                name="sealed_ballot_only_while_voting",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=while_the_proposal_is(
                    ("voting",), f"ballots are cast {OUTSIDE_THE_WINDOW}", in_window=True
                )
                + " RETURN NEW;",
            ),
            # Gone only once the poll is counted: the tally deletes them after writing its
            # decision (`services.tally_poll`), in the same transaction. No session setting
            # lifts this (security/database.py).
            pgtrigger.Trigger(
                name="sealed_ballot_no_delete",
                operation=pgtrigger.Delete,
                when=pgtrigger.Before,
                func=(
                    "IF NOT EXISTS (SELECT 1 FROM governance_decision "
                    "WHERE proposal_id = OLD.proposal_id) THEN RAISE EXCEPTION "
                    "'pgtrigger: Cannot delete a sealed ballot before its poll is counted'; "
                    "END IF; RETURN OLD;"
                ),
            ),
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
        # Made once when voting opens; afterwards only the wrapped private key is erased (with
        # the moment), once. A public key of one's own in its place would seal every later
        # ballot to oneself; a deleted key would let the poll be decided without its ballots.
        triggers = [
            pgtrigger.Protect(name="pollkey_is_kept", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="pollkey_only_erased",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(
                    *changed(
                        "proposal_id",
                        "public_key",
                        "threshold",
                        "trustee_count",
                        "roll_size",
                        "roll_sha256",
                    ),
                    pgtrigger.Q(
                        new__wrapped_private_key__isnull=False,
                        old__wrapped_private_key__df=pgtrigger.F("new__wrapped_private_key"),
                    ),
                    pgtrigger.Q(
                        new__wrapped_private_key__isnull=False, new__destroyed_at__isnull=False
                    ),
                    pgtrigger.Q(
                        old__wrapped_private_key__isnull=False,
                        new__wrapped_private_key__isnull=True,
                        new__destroyed_at__isnull=True,
                    ),
                    pgtrigger.Q(
                        old__destroyed_at__isnull=False,
                        old__destroyed_at__df=pgtrigger.F("new__destroyed_at"),
                    ),
                    _connector=pgtrigger.Q.OR,
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.proposal)

    @property
    def sha256(self) -> str:
        return sealing.key_sha256(self.public_key)

    @property
    def mark(self) -> str:
        """What the receipt, the poll's page, the trustees' pages and the bulletin show of the
        key (`sealing.key_mark`): the same everywhere, or someone swapped it."""
        return sealing.key_mark(self.sha256)


class TrusteeShare(models.Model):
    """A trustee's share of a poll's key. Stored only as a fingerprint, plus, for a short while,
    boxed under the server's key: until the trustee has seen it once, and from the moment it is
    entered to unlock until the tally."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="shares",
        db_index=False,  # a unique constraint or index begins with it
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
    history = AuditHistory(excluded_fields=["pickup_box", "submitted_box"])

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
