"""Telling people what happens: an outbox of events and the notifications they become.

A service that changes something emits one `Event` in its own transaction (`notifications.emit`);
the event's `Notification`s (one per person and channel) are written with it. Nothing is sent
inside the transaction: the worker sends after commit, and the beat sends whatever is still
pending (a broker or mail server that was down). A rolled-back change leaves no event and sends
nothing. Never does an event hold a secret choice or a receipt code.
"""

import secrets

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import changed


class Kind(models.TextChoices):
    PROPOSAL_DISCUSSION = "proposal_discussion", _("A proposal is open for discussion")
    VOTING_OPENED = "voting_opened", _("A vote has opened")
    VOTING_CLOSING = "voting_closing", _("A vote closes within 48 hours")
    DECISION_TAKEN = "decision_taken", _("A decision was taken")
    ALLOCATION_PAID = "allocation_paid", _("Money was paid to an initiative")
    INTAKE_LINK = "intake_link", _("An intake link was sent")
    INTAKE_TO_CONFIRM = "intake_to_confirm", _("An intake waits for confirmation")
    REALISATION_TO_VERIFY = "realisation_to_verify", _("A realisation waits for verification")
    CODE_BATCH_TO_APPROVE = "code_batch_to_approve", _("A batch of codes waits for approval")
    COMMENT = "comment", _("A comment on something of mine")
    ADVICE = "advice", _("Formal advice on something of mine")
    PARTICIPATION = "participation", _("My participation in a vote was recorded")
    PROPOSAL_WITHDRAWN = "proposal_withdrawn", _("A proposal was withdrawn")
    KEYS_NEEDED = "keys_needed", _("A closed poll waits for my key")
    DECISION_CARRIED_OUT = "decision_carried_out", _("A decision was carried out")
    INTAKE_STARTED = "intake_started", _("An initiator started an intake with the link")
    INTAKE_CONFIRMED = "intake_confirmed", _("An intake was confirmed")
    ALLOCATION_RETURNED = "allocation_returned", _("Unspent money came back to the fund")
    ALLOCATION_CLOSED = "allocation_closed", _("An allocation was closed")
    ALLOCATION_REVERSED = "allocation_reversed", _("A booking of an allocation was reversed")
    CODE_BATCH_APPROVED = "code_batch_approved", _("A batch of codes was approved")
    CODE_BATCH_PRINTED = "code_batch_printed", _("A batch of codes was printed")
    PROFILE_PUBLISHED = "profile_published", _("An intake profile was published")
    PROFILE_WITHDRAWN = "profile_withdrawn", _("An intake profile was taken offline")
    LOCATION_CLOSED = "location_closed", _("A Community Home where I have a shift closed")
    SHIFT_ADDED = "shift_added", _("I got a shift in a Community Home")
    SHIFT_CANCELLED = "shift_cancelled", _("A shift of mine was withdrawn")
    SHIFT_CHANGED = "shift_changed", _("The time or task of a shift of mine changed")
    BUDGET_BALLOT = "budget_ballot", _("My ballot in a budget round was recorded")
    AUTHENTICATOR_SET = "authenticator_set", _("An authenticator app was set up for my account")
    PLAN_REVIEWED = "plan_reviewed", _("The municipality reviewed a plan of mine")


# Messages a person gets whatever they chose: they are the thing itself (the link to fill in an
# intake) or the confirmation the law and trust need (that a vote was recorded).
REQUIRED_KINDS = frozenset(
    {Kind.INTAKE_LINK, Kind.PARTICIPATION, Kind.BUDGET_BALLOT, Kind.AUTHENTICATOR_SET}
)


class Channel(models.TextChoices):
    SITE = "site", _("On the site")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


class Event(models.Model):
    """One state change worth telling, written in the transaction of the change (the outbox)."""

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    subject = models.CharField(
        _("subject"), max_length=100, help_text=_("What changed, e.g. governance.proposal:12.")
    )
    url = models.CharField(_("link"), max_length=300, help_text=_("The one thing to do."))
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject", "kind"])]
        # An event says once what happened: only a secret link may be forgotten (its url
        # emptied once it went out, `services._forget_secret_link`). A "you voted" message
        # cannot be turned into another one by SQL.
        triggers = [
            pgtrigger.Trigger(
                name="event_written_once",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func="IF (to_jsonb(NEW) - 'url') IS DISTINCT FROM (to_jsonb(OLD) - 'url') "
                "OR (NEW.url IS DISTINCT FROM OLD.url AND NEW.url <> '') THEN RAISE EXCEPTION "
                "'notifications: an event is written once; only a sent link is forgotten "
                "(event %)', OLD.id; END IF; RETURN NEW;",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.subject})"


class Notification(models.Model):
    """An event for one person on one channel, and whether it went out."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(
        _("e-mail address"), blank=True, help_text=_("For someone without an account.")
    )
    language = models.CharField(_("language"), max_length=5, default="nl")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    digest = models.BooleanField(_("in the weekly digest"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    letter_batch = models.ForeignKey(
        "LetterBatch",
        verbose_name=_("letter batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-event__created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(email=""),
                name="notification_has_recipient",
            ),
            models.UniqueConstraint(
                fields=["event", "user", "channel"],
                condition=models.Q(user__isnull=False),
                name="notification_once_per_person_and_channel",
            ),
        ]
        indexes = [models.Index(fields=["channel", "status", "digest"])]
        # A message stays the message of its event, for its person, on its channel: a "you
        # voted" message on the site cannot be moved to someone else (the notices that point
        # at it keep it from being deleted: their foreign key).
        triggers = [
            pgtrigger.Protect(
                name="notification_stays_whose_it_is",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(
                    *changed("event_id", "user_id", "email", "channel"),
                    _connector=pgtrigger.Q.OR,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.user or self.email} ({self.channel})"


class Preference(models.Model):
    """How a person wants to hear: e-mail at once, a weekly digest, or no e-mail; letters."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once")
        WEEKLY = "weekly", _("Once a week, all together")
        NEVER = "never", _("No e-mail (only what I must get)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_frequency = models.CharField(
        _("e-mail"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    letters = models.BooleanField(
        _("letters on paper"),
        default=True,
        help_text=_("When you have no e-mail address, we print a letter once a week."),
    )
    letter_address = models.TextField(
        _("address for letters"),
        blank=True,
        help_text=_("Empty: collect your letters at the Community Home."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    unsubscribe_token = models.CharField(
        _("unsubscribe token"), max_length=43, unique=True, default=secrets.token_urlsafe
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return str(self.user)


class LetterBatch(models.Model):
    """The letters of one week, printed in one PDF for the post or to collect."""

    week = models.DateField(_("week of"), unique=True, help_text=_("The Monday of the week."))
    pdf = models.FileField(_("PDF"), upload_to="brieven/", blank=True)
    count = models.PositiveIntegerField(_("letters"), default=0)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")
        ordering = ["-week"]

    def __str__(self) -> str:
        return f"{self.week:%Y-%m-%d} ({self.count})"


def told_by() -> models.ForeignKey:
    """The field of a "you voted" notice (governance's `ParticipationNotice`, the budget round's
    `BallotNotice`) that points at its voter's message once told; the message cannot be deleted
    while a notice points at it (the foreign key)."""
    return models.ForeignKey(
        Notification,
        verbose_name=_("told by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


def waiting_notices(name: str) -> models.Index:
    """The index of the notices still to be told, oldest first."""
    return models.Index(fields=["id"], condition=models.Q(told__isnull=True), name=name)


def notice_rules(*, name: str, what: str, kind: str, voter: str, subject: str) -> list:
    """The triggers of a "you voted" notice outbox: a notice is never deleted or rewritten, and
    its `told_id` is set once, to a message on the site of `kind` about `subject`, for `voter`
    (SQL expressions over NEW). So nobody, the application's role included, marks a ballot's
    notice told without its voter having the message in their inbox."""
    check = (
        "IF OLD.told_id IS NOT NULL OR NEW.told_id IS NULL "  # noqa: S608 - our constants
        "OR (to_jsonb(NEW) - 'told_id') IS DISTINCT FROM (to_jsonb(OLD) - 'told_id') THEN "
        f"RAISE EXCEPTION '{what}: a notice is marked told once and never rewritten (notice %)', "
        "OLD.id; END IF; "
        "IF NOT EXISTS (SELECT 1 FROM notifications_notification n JOIN notifications_event e "
        "ON e.id = n.event_id WHERE n.id = NEW.told_id AND n.channel = 'site' "
        f"AND n.user_id = {voter} AND e.kind = '{kind}' AND e.subject = {subject}) THEN "
        f"RAISE EXCEPTION '{what}: a notice is told by its voter''s own message (notice %)', "
        "OLD.id; END IF; RETURN NEW;"
    )
    return [
        pgtrigger.Protect(name=f"{name}_stays", operation=pgtrigger.Delete),
        pgtrigger.Trigger(
            name=f"{name}_told_once",
            operation=pgtrigger.Update,
            when=pgtrigger.Before,
            func=check,
        ),
    ]
