import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import AuditHistory


class WorkerProbe(models.Model):
    """Proof that the Celery worker runs: a probe task writes the process and host it ran in.

    The integration suite sends one through the real broker and checks that it ran in another
    process than the test's; operators can do the same with `manage.py probe_worker`.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    ran_at = models.DateTimeField(_("ran at"), null=True, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    hostname = models.CharField(_("host name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("worker probe")
        verbose_name_plural = _("worker probes")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.token


# No version is deleted. A done version never changes, except that it stops being the current
# one when a newer one is done (and when it was sent to the worker is noted, once); only the newest done version of its year, scope and language
# becomes current. Its frozen content, once written, and what it is the version of, never change.
PUBLISHED_STAYS = """
IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reports: a version of a report is never deleted';
END IF;
IF OLD.status = 'done' AND (
        (to_jsonb(NEW) - 'is_current' - 'dispatched_at')
            IS DISTINCT FROM (to_jsonb(OLD) - 'is_current' - 'dispatched_at')
        OR (NEW.is_current AND NOT OLD.is_current)
        -- when it was sent to the worker may be noted once (an eager worker finished first)
        OR (OLD.dispatched_at IS NOT NULL AND NEW.dispatched_at IS DISTINCT FROM OLD.dispatched_at)
    ) THEN
    RAISE EXCEPTION 'reports: a published version stays as it was published';
END IF;
IF OLD.snapshot IS NOT NULL AND (NEW.snapshot IS DISTINCT FROM OLD.snapshot
        OR NEW.interim IS DISTINCT FROM OLD.interim OR NEW.as_of IS DISTINCT FROM OLD.as_of) THEN
    RAISE EXCEPTION 'reports: the frozen content of a version never changes';
END IF;
IF (NEW.year, NEW.language, NEW.version, COALESCE(NEW.area_id, 0))
        IS DISTINCT FROM (OLD.year, OLD.language, OLD.version, COALESCE(OLD.area_id, 0)) THEN
    RAISE EXCEPTION 'reports: a version stays the version it is';
END IF;
IF NEW.is_current AND NOT OLD.is_current AND EXISTS (
        SELECT 1 FROM reports_annualreport r
        WHERE r.year = NEW.year AND r.language = NEW.language
          AND COALESCE(r.area_id, 0) = COALESCE(NEW.area_id, 0)
          AND r.status = 'done' AND r.version > NEW.version) THEN
    RAISE EXCEPTION 'reports: only the newest version becomes the current one';
END IF;
RETURN NEW;
"""


class AnnualReport(models.Model):
    """One version of the public transparency report of a year (optionally for one area).

    The report's content is frozen in `snapshot` (JSON) when it is built; the HTML page and the
    PDF are both rendered from it, so what was published never changes afterwards. Building a year
    again makes a new version; the newest finished one is current, the earlier ones stay in the
    archive.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(
        "accounts.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole municipality."),
    )
    language = models.CharField(_("language"), max_length=5, default="nl")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    is_current = models.BooleanField(_("current version"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # Empty while the request has not reached the broker (for instance while Redis is down);
    # `dispatch_pending_reports` sends it again.
    dispatched_at = models.DateTimeField(_("sent to the worker at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    snapshot = models.JSONField(_("content"), null=True, blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="rapporten/", blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    # A report made before its year ended counts only up to the day it was made: an interim
    # report, never listed as that year's annual report. Set with the snapshot, never after.
    interim = models.BooleanField(_("interim report"), default=False, editable=False)
    as_of = models.DateField(_("figures up to"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                Coalesce("area", 0),
                "year",
                "language",
                "version",
                name="report_unique_version",
            ),
            models.UniqueConstraint(
                Coalesce("area", 0),
                "year",
                "language",
                condition=Q(is_current=True),
                name="report_one_current",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(status="done"),
                name="report_current_is_done",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(sha256=""),
                name="report_done_has_checksum",
            ),
        ]
        # A published version stays as published, also against SQL of the application's own
        # role (insider review 2026-12-05, R1): see PUBLISHED_STAYS.
        triggers = [
            pgtrigger.Trigger(
                name="report_published_stays",
                operation=pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.Before,
                func=PUBLISHED_STAYS,
            )
        ]

    def __str__(self) -> str:
        scope = self.area.name if self.area_id else _("whole municipality")
        return f"{self.year} · {scope} · {self.language} · v{self.version}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


# The outcome numbers of a closed year are the ones its report published: none is added, changed
# or removed afterwards, also not by SQL of the application's own role (insider review
# 2026-12-05, R3). A closed year closes the years before it (`sroi.ClosedYear`). Only the person
# who recorded a number may be forgotten (`recorded_by` set to NULL when the account goes).
CLOSED_YEAR_OUTCOMES_STAY = """
IF TG_OP = 'UPDATE' AND NEW.recorded_by_id IS NULL
        AND (to_jsonb(NEW) - 'recorded_by_id') = (to_jsonb(OLD) - 'recorded_by_id') THEN
    RETURN NEW;
END IF;
IF TG_OP IN ('UPDATE', 'DELETE')
        AND EXISTS (SELECT 1 FROM sroi_closedyear c WHERE c.year >= OLD.year) THEN
    RAISE EXCEPTION 'reports: % is closed: its outcome numbers stay as published', OLD.year;
END IF;
IF TG_OP IN ('INSERT', 'UPDATE')
        AND EXISTS (SELECT 1 FROM sroi_closedyear c WHERE c.year >= NEW.year) THEN
    RAISE EXCEPTION 'reports: % is closed: it takes no new outcome numbers', NEW.year;
END IF;
IF TG_OP = 'DELETE' THEN
    RETURN OLD;
END IF;
RETURN NEW;
"""


class Outcome(models.Model):
    """A number an initiative achieved in a year, for the indicators the seed asks to report.

    A civil servant enters it with a source note (where the number comes from); the annual report
    sums what initiatives recorded and says how many initiatives recorded it.
    """

    class Indicator(models.TextChoices):
        SCHOOL = "kept_in_school", _("Young people kept in school")
        ESCALATIONS = "escalations_prevented", _("Escalations prevented")
        INCOME = "better_income", _("People with a better income")
        DEBT = "debts_stabilised", _("Households with stabilised debts")
        MENTAL = "peace_of_mind", _("People reporting more peace of mind")

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="outcomes",
        db_index=False,  # a unique constraint or index begins with it
    )
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    value = models.PositiveIntegerField(
        _("number"), help_text=_("How many people or households, counted over the year.")
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the number comes from, e.g. the initiative's annual report."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-year", "initiative__name", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "year", "indicator"], name="outcome_once_per_year"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000), name="outcome_year_plausible"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="outcome_closed_year_stays",
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.Before,
                func=CLOSED_YEAR_OUTCOMES_STAY,
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.year} · {self.get_indicator_display()}: {self.value}"
