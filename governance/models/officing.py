"""Taking part without a screen: Community Homes (locations), officers' shifts and check-ins.

A poll is offered at chosen locations (`PollOffering`). An officer acts only within a shift
(`OfficerShift`: who, where, when, which task). A check-in (`CheckIn`) records that an officer
found a resident on the frozen roll and how identity was checked; one per resident per poll,
enforced by the database. A paper check-in supersedes an earlier online ballot of the same
resident: at the tally the voter tags of paper check-ins are left out of the sealed ballots
(`services.tally_poll`), so no ballot is ever opened before closing.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import AuditHistory, refuse_rewrites

from .officing_rules import (  # noqa: F401 - SHIFT_KEPT_REFUSAL, SHIFT_RECORDS: read elsewhere
    CLOSED_LOCATION_REFUSED,
    PAPER_SEAL_WITHIN_CHECK_INS,
    SHIFT_KEPT,
    SHIFT_KEPT_REFUSAL,
    SHIFT_RECORDS,
    not_at_a_closed_location,
)


class Location(models.Model):
    """A place where residents can vote on paper or with help, e.g. Community Home Bijlmer."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.TextField(
        _("opening hours"), blank=True, help_text=_("As residents should read them.")
    )
    # A closed location keeps its name, its polls and its shifts (the record), but gets no new
    # poll or shift and nobody is checked in there (`officing.close_location`).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.TextField(_("why it is closed"), blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            # Closed with a reason, or open without one: never one without the other.
            models.CheckConstraint(
                condition=(Q(closed_at__isnull=True) & Q(closed_reason=""))
                | (Q(closed_at__isnull=False) & ~Q(closed_reason="")),
                name="location_closed_with_reason",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PollOffering(models.Model):
    """A poll can be voted on at this location (on paper or with help)."""

    proposal = models.ForeignKey(
        "governance.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="offerings",
        db_index=False,  # a unique constraint or index begins with it
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="offerings"
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("poll at a location")
        verbose_name_plural = _("polls at locations")
        ordering = ["proposal", "location"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "location"], name="offering_once")
        ]
        triggers = [not_at_a_closed_location("offering_not_at_a_closed_location")]

    def __str__(self) -> str:
        return f"{self.proposal} @ {self.location}"


class OfficerShift(models.Model):
    """An officer's shift: at one location, for one period, with one task. Once it has
    started, or something was recorded in it, the database keeps it as it is (`SHIFT_KEPT`)."""

    class Task(models.TextChoices):
        CHECK_IN = "checkin", _("Check-in at the table")
        COUNTING = "counting", _("Counting paper ballots")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="officer_shifts",
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="shifts"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    task = models.CharField(_("task"), max_length=10, choices=Task.choices)
    appointed_by = models.CharField(
        _("appointed by"),
        max_length=200,
        help_text=_("The decision of the community board that chose this officer."),
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("officer's shift")
        verbose_name_plural = _("officers' shifts")
        ordering = ["location", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"
            )
        ]
        triggers = [
            pgtrigger.Trigger(
                name="shift_kept_once_started_or_used",
                operation=pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.Before,
                func=SHIFT_KEPT,
            ),
            not_at_a_closed_location("shift_not_at_a_closed_location"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} @ {self.location} ({self.get_task_display()})"

    def is_current(self, at=None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at


class CheckIn(models.Model):
    """A resident checked in at a location's table for a poll: once per resident per poll."""

    class Channel(models.TextChoices):
        PAPER = "paper", _("Paper ballot")
        ASSISTED = "assisted", _("Assisted, on the station's screen")

    class IdentityCheck(models.TextChoices):
        ID_DOCUMENT = "id_document", _("Identity document shown")
        POLL_CARD = "poll_card", _("Poll card and identity document shown")
        VERIFICATION_CODE = "verification_code", _("Verification code shown")
        PERSONALLY_KNOWN = "known", _("Personally known to two officers")

    proposal = models.ForeignKey(
        "governance.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="check_ins",
        db_index=False,  # a unique constraint or index begins with it
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="check_ins"
    )
    shift = models.ForeignKey(
        OfficerShift,
        verbose_name=_("shift"),
        on_delete=models.PROTECT,
        related_name="check_ins",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    identity_check = models.CharField(
        _("identity checked by"), max_length=20, choices=IdentityCheck.choices
    )
    superseded_online = models.BooleanField(
        _("an online vote was cancelled"),
        default=False,
        help_text=_("The resident had voted online; the paper vote counts instead."),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["proposal", "location", "checked_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="checkin_one_per_voter")
        ]
        triggers = [
            refuse_rewrites("checkin_append_only"),
            not_at_a_closed_location("checkin_not_at_a_closed_location"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} @ {self.location}"


class PaperCount(models.Model):
    """The paper ballots of one batch, as counted and entered by one officer. A batch is the
    ballot box of one check-in shift at a location: its envelopes are compared with that
    shift's check-ins, and the location's total is the sum of its batches.

    Never edited: a correction is a new count of the same batch that names the one it replaces
    and why. A count counts only once a second officer has confirmed it (`PaperCountSeal`).
    """

    proposal = models.ForeignKey(
        "governance.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="paper_counts",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="paper_counts",
    )
    # Empty only for counts entered before batches existed: those covered the whole location.
    shift = models.ForeignKey(
        OfficerShift,
        verbose_name=_("batch (check-in shift)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paper_counts",
        help_text=_("The check-in shift whose ballot box was counted."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    envelopes = models.PositiveIntegerField(_("envelopes"))
    voor = models.PositiveIntegerField(_("for"))
    tegen = models.PositiveIntegerField(_("against"))
    onthouding = models.PositiveIntegerField(_("abstain"))
    blank = models.PositiveIntegerField(_("blank"))
    invalid = models.PositiveIntegerField(_("invalid"))
    explanation = models.TextField(
        _("explanation of a difference"),
        blank=True,
        help_text=_("Required when check-ins, envelopes and ballots do not match."),
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    reason = models.TextField(_("reason for the correction"), blank=True)

    class Meta:
        verbose_name = _("paper count")
        verbose_name_plural = _("paper counts")
        ordering = ["proposal", "location", "shift", "entered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(reason=""),
                name="papercount_correction_has_reason",
            )
        ]
        triggers = [
            refuse_rewrites("papercount_append_only"),
            not_at_a_closed_location("papercount_not_at_a_closed_location"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} @ {self.location}"

    @property
    def ballots(self) -> int:
        return self.voor + self.tegen + self.onthouding + self.blank + self.invalid


class PaperCountSeal(models.Model):
    """A second officer confirmed a paper count: from now on it counts (four eyes)."""

    count = models.OneToOneField(
        PaperCount, verbose_name=_("paper count"), on_delete=models.PROTECT, related_name="seal"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    check_ins = models.PositiveIntegerField(_("paper check-ins"))

    class Meta:
        verbose_name = _("sealed paper count")
        verbose_name_plural = _("sealed paper counts")
        ordering = ["confirmed_at", "pk"]
        triggers = [
            refuse_rewrites("papercountseal_append_only"),
            # A sealed count has no more envelopes or ballots than paper check-ins in its
            # batch, and records that number: an explanation covers fewer, never more.
            pgtrigger.Trigger(
                name="papercountseal_within_check_ins",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                declare=[("c", "governance_papercount%ROWTYPE"), ("came", "integer")],
                func=PAPER_SEAL_WITHIN_CHECK_INS,
            ),
        ]

    def __str__(self) -> str:
        return str(self.count)


class LocationWithoutVotes(models.Model):
    """A civil servant records why an offered location has no paper count (e.g. closed)."""

    offering = models.OneToOneField(
        PollOffering,
        verbose_name=_("poll at a location"),
        on_delete=models.PROTECT,
        related_name="without_votes",
    )
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("location without votes")
        verbose_name_plural = _("locations without votes")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return str(self.offering)


class PollCardRun(models.Model):
    """Poll cards for a poll's whole roll, made by the worker in parts of a few hundred cards
    (so its memory does not grow with the roll) into one ZIP of PDFs; `done` is the progress
    the page shows. The file is private: downloaded only through a permission-checked view."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the worker")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    proposal = models.ForeignKey(
        "governance.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="poll_card_runs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("poll cards to make"), default=0)
    done = models.PositiveIntegerField(_("poll cards made"), default=0)
    file = models.FileField(_("file"), upload_to="stemkaarten/", blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("poll cards run")
        verbose_name_plural = _("poll cards runs")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.proposal} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
