"""The VNG intake checklist as versioned data, the intakes filled in with it, and initiator links.

A questionnaire version is data, not code: a municipality publishes a new version through the
admin. Every text is stored in Dutch and English, because a new version has no translation
catalogue; the interface shows the one of the active language.
"""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.dates import short_date
from common.models import AuditHistory
from initiatives.models import Initiative

SCALE_MIN = 1
SCALE_MAX = 10


def _in_language(obj, field: str) -> str:
    """The English text when English is active and present, else the Dutch one."""
    language = (get_language() or "nl").lower()
    if language.startswith("en"):
        english = getattr(obj, f"{field}_en")
        if english:
            return english
    return getattr(obj, f"{field}_nl")


class Questionnaire(models.Model):
    """One version of the intake checklist. Published versions are used for new intakes."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("What changed in this version, and why.")
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_(
            "Empty while the version is a draft. New intakes use the newest published one."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = AuditHistory()

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Question(models.Model):
    """A question of one questionnaire version, with its kind and, for a scale, its poles."""

    SUPPORT_NEEDS = "support_needs"

    class Kind(models.TextChoices):
        MULTIPLE = "multi", _("Multiple choice (several answers)")
        SINGLE = "single", _("Single choice")
        SCALE = "scale", _("Scale 1-10")
        TEXT = "text", _("Open question")

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire version"),
        on_delete=models.CASCADE,
        related_name="questions",
        db_index=False,  # a unique constraint or index begins with it
    )
    number = models.PositiveSmallIntegerField(_("number"))
    key = models.SlugField(
        _("key"),
        max_length=40,
        blank=True,
        help_text=_(
            "A stable name for a question the application looks up, such as 'support_needs'; "
            "keep it when copying a version."
        ),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text_nl = models.CharField(_("question (Dutch)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    short_label_nl = models.CharField(
        _("short label (Dutch)"),
        max_length=40,
        blank=True,
        help_text=_("A few words for the axis of the radar chart."),
    )
    short_label_en = models.CharField(_("short label (English)"), max_length=40, blank=True)
    allows_other = models.BooleanField(
        _("allows a free-text 'other' answer"),
        default=False,
        help_text=_("The option with the code 'other' then asks for a description."),
    )
    pole_low_nl = models.CharField(_("label of 1 (Dutch)"), max_length=60, blank=True)
    pole_low_en = models.CharField(_("label of 1 (English)"), max_length=60, blank=True)
    pole_high_nl = models.CharField(_("label of 10 (Dutch)"), max_length=60, blank=True)
    pole_high_en = models.CharField(_("label of 10 (English)"), max_length=60, blank=True)
    descriptive = models.BooleanField(
        _("descriptive"),
        default=False,
        help_text=_("The scale describes the initiative; a high value is not 'better'."),
    )
    counts_toward_composite = models.BooleanField(_("counts toward the composite"), default=False)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Weight in the composite score; only for counting scale questions."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="question_unique_number"
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "key"],
                condition=~Q(key=""),
                name="question_unique_key",
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="question_weight_not_negative"),
            models.CheckConstraint(
                condition=Q(counts_toward_composite=False) | Q(kind="scale"),
                name="question_only_scales_count",
            ),
            models.CheckConstraint(condition=~Q(text_nl=""), name="question_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return _in_language(self, "text")

    @property
    def short_label(self) -> str:
        return _in_language(self, "short_label") or str(self.number)

    @property
    def pole_low(self) -> str:
        return _in_language(self, "pole_low")

    @property
    def pole_high(self) -> str:
        return _in_language(self, "pole_high")

    @property
    def is_scale(self) -> bool:
        return self.kind == self.Kind.SCALE

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.MULTIPLE, self.Kind.SINGLE)


class Option(models.Model):
    """A possible answer to a choice question. The code stays the same across versions."""

    OTHER = "other"

    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="options",
        db_index=False,  # a unique constraint or index begins with it
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Stable across versions, used in filters. 'other' asks for a description."),
    )
    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="option_unique_code"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _in_language(self, "label")

    @property
    def is_other(self) -> bool:
        return self.code == self.OTHER


class Intake(models.Model):
    """One assessment of an initiative with one questionnaire version, on a date."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted by the initiator")
        CONFIRMED = "confirmed", _("Confirmed")

    class Method(models.TextChoices):
        CONVERSATION = "conversation", _("In a conversation")
        LINK = "link", _("By the initiator, through a link")

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="intakes",
        db_index=False,  # a unique constraint or index begins with it
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="intakes",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    method = models.CharField(
        _("filled in"), max_length=20, choices=Method.choices, default=Method.CONVERSATION
    )
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("civil servant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intakes_conducted",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intakes_confirmed",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    composite = models.DecimalField(
        _("composite score"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("The weighted mean of the counting questions, computed at confirmation."),
    )
    is_published = models.BooleanField(
        _("profile published"),
        default=False,
        help_text=_("A published profile can be seen by anyone."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["initiative", "status", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(composite__isnull=True)
                | Q(composite__gte=SCALE_MIN, composite__lte=SCALE_MAX),
                name="intake_composite_in_scale",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="intake_confirmed_has_moment",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status="confirmed"),
                name="intake_only_confirmed_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} – {short_date(self.date, 'j M Y')}"

    def get_absolute_url(self) -> str:
        return reverse("intake:detail", args=[self.pk])

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class Answer(models.Model):
    """The answer to one question in one intake; what it holds depends on the question's kind."""

    intake = models.ForeignKey(
        Intake,
        verbose_name=_("intake"),
        on_delete=models.CASCADE,
        related_name="answers",
        db_index=False,  # a unique constraint or index begins with it
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    scale_value = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )
    text = models.TextField(_("answer"), blank=True)
    other_text = models.CharField(_("other, namely"), max_length=300, blank=True)
    options = models.ManyToManyField(
        Option, verbose_name=_("chosen options"), blank=True, related_name="answers"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["intake", "question__number"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "question"], name="answer_unique_question"),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True)
                | Q(scale_value__gte=SCALE_MIN, scale_value__lte=SCALE_MAX),
                name="answer_scale_value_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intake} – {self.question.number}"


def hash_token(token: str) -> str:
    """The stored form of a link token: its SHA-256, so a database leak reveals no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


class IntakeLink(models.Model):
    """A single-use link with which an initiator fills in an intake without an account.

    Only a hash of the token is stored; the link is shown once, when it is made.
    """

    intake = models.ForeignKey(
        Intake, verbose_name=_("intake"), on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("initiator link")
        verbose_name_plural = _("initiator links")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="intakelink_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        if self.created_at is None:
            return str(self.intake)
        return f"{self.intake} ({short_date(timezone.localtime(self.created_at), 'j M Y')})"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    def is_expired(self, at=None) -> bool:
        return (at or timezone.now()) >= self.expires_at

    def is_usable(self, at=None) -> bool:
        return (
            self.used_at is None
            and self.revoked_at is None
            and not self.is_expired(at)
            and self.intake.status == Intake.Status.DRAFT
        )
