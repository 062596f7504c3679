"""Contracts with a social-return obligation, the building-block catalogue and realisations."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import AuditHistory
from security.uploads import RandomName, validate_evidence

from ..valuation import obligation_amount
from .fields import MoneyField

kvk_validator = RegexValidator(
    r"^[0-9]{8}\Z", _("A KvK number is exactly 8 digits."), code="kvk_number"
)
# A pseudonym must hold a digit, so that a bare name ("Jansen") is refused.
person_reference_validator = RegexValidator(
    r"^(?=.*[0-9])[A-Za-z0-9._-]{3,40}\Z",
    _(
        "Use a pseudonymous code of 3 to 40 letters, digits, dots or dashes, with at least one "
        "digit (for example K-2025-014). Never a name."
    ),
    code="person_reference",
)


def default_threshold() -> Decimal:
    return Decimal(str(settings.SROI_THRESHOLD))


class Contractor(models.Model):
    """A company that holds a public contract (opdrachtnemer)."""

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        unique=True,
        validators=[kvk_validator],
        help_text=_("The 8-digit number in the Dutch Chamber of Commerce register."),
    )
    # Personal data of the contact person: shown to civil servants only.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("contractor")
        verbose_name_plural = _("contractors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="contractor_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """A public contract and its social-return clause."""

    class ObligationKind(models.TextChoices):
        EFFORT = "effort", _("Effort obligation")
        RESULT = "result", _("Result obligation")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    reference = models.CharField(_("reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    department = models.CharField(_("municipal department"), max_length=120)
    contractor = models.ForeignKey(
        Contractor,
        verbose_name=_("contractor"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    value = MoneyField(
        _("contract value excl. VAT"), validators=[MinValueValidator(Decimal("0.01"))]
    )
    award_date = models.DateField(
        _("award date"),
        help_text=_("The building blocks in force on this date count for the contract."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    percentage = models.DecimalField(
        _("social-return percentage"), max_digits=5, decimal_places=2, default=Decimal("5.00")
    )
    threshold = MoneyField(
        _("threshold"),
        default=default_threshold,
        help_text=_("Below this contract value no social-return obligation applies."),
    )
    obligation = MoneyField(_("obligation"), default=Decimal("0.00"), editable=False)
    fulfilment_deadline = models.DateField(
        _("fulfilment deadline"), help_text=_("Usually the end date, sometimes later.")
    )
    obligation_kind = models.CharField(
        _("kind of obligation"),
        max_length=20,
        choices=ObligationKind.choices,
        default=ObligationKind.RESULT,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-award_date", "reference"]
        indexes = [models.Index(fields=["status", "fulfilment_deadline"])]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="contract_value_positive"),
            models.CheckConstraint(
                condition=Q(percentage__gte=0, percentage__lte=100),
                name="contract_percentage_0_100",
            ),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="contract_threshold_gte_0"),
            models.CheckConstraint(
                condition=Q(obligation__gte=0), name="contract_obligation_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="contract_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(fulfilment_deadline__gte=F("start_date")),
                name="contract_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        # The obligation is derived, never entered: keep it in the row so lists can sum it.
        self.obligation = self.derived_obligation()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "obligation"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sroi:contract", args=[self.pk])

    def derived_obligation(self) -> Decimal:
        if self.value is None or self.percentage is None or self.threshold is None:
            return Decimal("0.00")
        return obligation_amount(
            Decimal(self.value), Decimal(self.percentage), Decimal(self.threshold)
        )


class BlockCatalogue(models.Model):
    """One version of the building-block table, in force from `valid_from` until the next one."""

    name = models.CharField(_("name"), max_length=120)
    valid_from = models.DateField(_("valid from"), unique=True)
    source = models.TextField(
        _("source"), help_text=_("Where the values come from (publication, web address).")
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("building-block catalogue")
        verbose_name_plural = _("building-block catalogues")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%Y-%m-%d})"


class BuildingBlock(models.Model):
    """One kind of social-return contribution and its value in one catalogue version."""

    class Kind(models.TextChoices):
        PERSON_YEAR = "person_year", _("Per person-year (36 hours a week)")
        INVOICE = "invoice", _("The invoice amount excl. VAT")
        HOURLY = "hourly", _("Per employee-hour")
        BONUS = "bonus", _("One-off bonus on a placement")
        CASH = "cash", _("Cash payment into the community fund")

    catalogue = models.ForeignKey(
        BlockCatalogue,
        verbose_name=_("catalogue"),
        on_delete=models.PROTECT,
        related_name="blocks",
        db_index=False,  # a unique constraint or index begins with it
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = MoneyField(
        _("value"),
        default=Decimal("0.00"),
        help_text=_(
            "Per 36-hour year for person-years, per hour for hourly blocks, the amount of a "
            "bonus; not used for invoice and cash blocks."
        ),
    )
    max_months = models.PositiveSmallIntegerField(
        _("maximum months"),
        null=True,
        blank=True,
        help_text=_("How long one person counts at most; empty for no limit."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = AuditHistory()

    class Meta:
        verbose_name = _("building block")
        verbose_name_plural = _("building blocks")
        ordering = ["catalogue", "position"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="block_unique_code"),
            models.CheckConstraint(condition=Q(value__gte=0), name="block_value_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.TextChoices):
    """Who a placement reaches; recorded instead of who the person is."""

    PARTICIPATIEWET = "participation_act", _("Assistance benefit (Participatiewet)")
    JOB_AGREEMENT = "job_agreement", _("Job agreement register (Banenafspraak)")
    DISABILITY = "disability_benefit", _("Disability benefit (WIA/WAO)")
    UNEMPLOYMENT = "unemployment_benefit", _("Unemployment benefit (WW)")
    STUDENT = "student", _("Student or apprentice (mbo, vso, pro)")
    NO_BENEFIT = "no_benefit", _("Job seeker without benefit")
    STATUS_HOLDER = "status_holder", _("Refugee with a residence permit (statushouder)")
    SYSTEM_HARMED = "system_harmed", _("People harmed by systems (systeemgedupeerden)")
    DESCENDANTS = "descendants", _("Descendants of the slavery past")
    OTHER = "other", _("Other")


class Realisation(models.Model):
    """Social return delivered in kind under a contract: claimed, then verified or rejected.

    The placed person is never named: a pseudonymous reference and the target group only.
    """

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", pgettext_lazy("realisation", "Rejected")

    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="realisations",
        db_index=False,  # a unique constraint or index begins with it
    )
    block = models.ForeignKey(
        BuildingBlock,
        verbose_name=_("building block"),
        on_delete=models.PROTECT,
        related_name="realisations",
    )
    bonuses = models.ManyToManyField(
        BuildingBlock,
        verbose_name=_("bonuses"),
        blank=True,
        related_name="bonus_realisations",
        limit_choices_to={"kind": BuildingBlock.Kind.BONUS},
    )
    target_group = models.CharField(_("target group"), max_length=40, choices=TargetGroup.choices)
    person_reference = models.CharField(
        _("person reference"),
        max_length=40,
        blank=True,
        validators=[person_reference_validator],
        help_text=_("A pseudonymous code from the contractor's file; never a name."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    months = models.DecimalField(_("months"), max_digits=5, decimal_places=2, null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    quantity = models.DecimalField(
        _("hours"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For blocks counted per employee-hour."),
    )
    invoice_amount = MoneyField(_("invoice amount excl. VAT"), null=True, blank=True)
    bonus_amount = MoneyField(_("bonuses"), default=Decimal("0.00"))
    value = MoneyField(_("value"))
    description = models.TextField(_("description"), blank=True)
    # Stored under a random name; the name the person gave is only shown (see security.uploads).
    evidence = models.FileField(
        _("evidence"),
        upload_to=RandomName("sroi/evidence"),
        blank=True,
        validators=[validate_evidence],
        help_text=_("Employment contract, enrolment papers or invoice (PDF or image)."),
    )
    evidence_name = models.CharField(_("file name of the evidence"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CLAIMED
    )
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("verified or rejected at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified or rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["contract", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="realisation_value_gte_0"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="realisation_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="realisation_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} – {self.block} ({self.person_reference or '–'})"
