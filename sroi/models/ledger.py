"""The community fund: a small double-entry ledger of our own.

Why not a library: django-hordak, the best-kept Django double-entry ledger, enforces its
invariants (balanced legs, account currencies) with database triggers written for PostgreSQL and
MySQL, is tested on those only, and brings django-mptt and django-money; on SQLite, our embedded
default (`make run`, the test suite), its triggers do not exist, so the ledger would be checked on
one of our two databases only. django-ledger is a full accounting suite (chart of accounts,
invoices, bills) far beyond our handful of money flows. What we need fits in four tables:

* an Account belongs to a fund (its available money, or money allocated to initiatives but not
  yet paid out) or is an external counterparty (a contract, the municipality, an initiative);
* a Transaction is one money flow, with who recorded it and what it links to;
* an Entry is a signed amount on one account; the entries of a transaction sum to zero;
* balances are sums of entries, never stored.

Rows are append-only: saving an existing row, deleting, and queryset update/delete all raise.
On PostgreSQL the database refuses too (pgtrigger triggers), so neither `_base_manager` nor raw
SQL rewrites a booking. A correction is a reversing transaction with a reason, booked in an open
year (`ClosedYear`) and pointing at what it corrects. The balance rules (never below zero, never
more than allocated) live in `sroi.services.ledger`, which locks the fund row first and says
what is wrong in the user's words. On PostgreSQL the database checks every new row as well
(migration 0009): balanced entries of the shape of their kind, one booking per allocation, no
date in a closed year, no fund account below zero on any day; so SQL gets no further.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from common.dates import short_date
from common.models import AuditHistory, refuse_rewrites

from .allocation_rules import allocation_triggers
from .allocation_state import AllocationState, allocation_state
from .contracts import Contract
from .fields import MoneyField
from .reasons import CorrectionReason


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete a ledger row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class Fund(models.Model):
    """A community fund, e.g. "Gemeenschapsfonds Zuidoost"."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sroi:fund", args=[self.slug])


class Account(models.Model):
    """A place money is counted. Fund accounts have a fund; counterparties have none."""

    class Kind(models.TextChoices):
        AVAILABLE = "available", _("Available in the fund")
        ALLOCATED = "allocated", _("Allocated, not yet paid out")
        CONTRACT = "contract", _("Contract (social-return payments)")
        MUNICIPALITY = "municipality", _("Municipality")
        OTHER_INCOME = "other_income", _("Other income")
        INITIATIVE = "initiative", _("Initiative")

    FUND_KINDS = (Kind.AVAILABLE, Kind.ALLOCATED)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), null=True, on_delete=models.PROTECT, related_name="accounts"
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        null=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    # An account is never changed once made (moving it to another fund or kind would move its
    # money), in the database too; get_or_create only adds rows.

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "kind"],
                condition=Q(fund__isnull=False),
                name="account_one_per_fund_and_kind",
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(contract__isnull=False),
                name="account_one_per_contract",
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(initiative__isnull=False),
                name="account_one_per_initiative",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind__in=["municipality", "other_income"]),
                name="account_one_municipality_and_other",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["available", "allocated"], fund__isnull=False)
                    | Q(kind="contract", contract__isnull=False, fund__isnull=True)
                    | Q(kind="initiative", initiative__isnull=False, fund__isnull=True)
                    | Q(kind__in=["municipality", "other_income"], fund__isnull=True)
                ),
                name="account_kind_matches_links",
            ),
        ]
        triggers = [refuse_rewrites("account_fixed")]

    def __str__(self) -> str:
        label = self.get_kind_display()
        owner = self.fund or self.contract or self.initiative
        return f"{label}: {owner}" if owner else str(label)


class Transaction(AppendOnlyModel):
    """One money flow in a fund, recorded by `actor`; its entries sum to zero."""

    class Kind(models.TextChoices):
        SROI_CONTRIBUTION = "sroi_contribution", _("Social-return contribution")
        OTHER_INCOME = "other_income", _("Other income")
        ALLOCATION = "allocation", _("Allocation")
        DISBURSEMENT = "disbursement", _("Disbursement")
        RETURN = "return", _("Return of unspent money")
        RELEASE = "release", _("Release of an unpaid allocation")
        REVERSAL = "reversal", _("Reversal")

    fund = models.ForeignKey(  # no index of its own: the index on (fund, date) begins with it
        Fund, models.PROTECT, verbose_name=_("fund"), related_name="transactions", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_transactions",
    )
    allocation = models.ForeignKey(
        "Allocation",
        verbose_name=_("allocation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
    )
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    # Why, in the civil servant's words: internal, never published (see `reasons`).
    reason = models.TextField(_("reason"), blank=True)
    # Why, as published: a kind from a fixed list; empty for a reversal made before the list.
    # The database default too: a row written by SQL that does not name it has none.
    reason_category = models.CharField(
        _("kind of reason"),
        max_length=20,
        choices=CorrectionReason.choices,
        blank=True,
        default="",
        db_default="",
    )

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["fund", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reversal_of__isnull=True) | ~Q(reason=""),
                name="transaction_reversal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(reason_category="")
                | Q(reversal_of__isnull=False, reason_category__in=CorrectionReason.values),
                name="transaction_reason_category_of_reversal",
            ),
            models.CheckConstraint(
                condition=Q(
                    reversal_of__isnull=True,
                    kind__in=[
                        "sroi_contribution",
                        "other_income",
                        "allocation",
                        "disbursement",
                        "return",
                        "release",
                    ],
                )
                | Q(reversal_of__isnull=False, kind="reversal"),
                name="transaction_reversal_kind",
            ),
            # Money moved for an initiative names its allocation; a contribution its contract.
            models.CheckConstraint(
                condition=~Q(kind__in=["allocation", "disbursement", "return", "release"])
                | Q(allocation__isnull=False),
                name="transaction_flow_has_allocation",
            ),
            models.CheckConstraint(
                condition=~Q(kind="sroi_contribution") | Q(contract__isnull=False),
                name="transaction_contribution_has_contract",
            ),
            # An allocation moves its money out of the available account once.
            models.UniqueConstraint(
                fields=["allocation"],
                condition=Q(kind="allocation"),
                name="transaction_one_booking_per_allocation",
            ),
        ]
        base_manager_name = "objects"  # no back door: `_base_manager.update()` raises too
        triggers = [refuse_rewrites("transaction_append_only")]

    def __str__(self) -> str:
        return f"{short_date(self.date, 'j M Y')} {self.get_kind_display()} #{self.pk}"


class Entry(AppendOnlyModel):
    """A signed amount on one account: positive adds to the account, negative takes from it."""

    transaction = models.ForeignKey(
        Transaction,
        verbose_name=_("transaction"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["transaction", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero"),
        ]
        base_manager_name = "objects"
        triggers = [refuse_rewrites("entry_append_only")]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"


class Allocation(models.Model):
    """Money of a fund granted to an initiative by a decision, paid out in tranches.

    The amounts paid, returned and still open are read from the ledger (see selectors), never
    stored here, so they cannot drift from the entries.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="allocations"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    amount = MoneyField(_("amount"))
    purpose = models.TextField(_("purpose"))
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=200,
        help_text=_("The adopted community decision this allocation carries out."),
    )
    # The governance decision this allocation carries out: every allocation has one, and a
    # decision has at most one allocation per line (0: a decision of one allocation; 1, 2, ...:
    # the lines of a package, e.g. a budget round's outcome). A plain id so that sroi does not
    # import governance; on PostgreSQL governance's trigger checks that it is a real adopted
    # decision (and, for a line, that fund, initiative and amount are the line's).
    decision_id = models.PositiveBigIntegerField(_("decision"))
    decision_line = models.PositiveIntegerField(
        _("decision line"),
        default=0,
        help_text=_("0 for a decision of one allocation; else the line of the decision's package."),
    )
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=~Q(decision_reference=""), name="allocation_has_decision_reference"
            ),
            models.UniqueConstraint(
                fields=["decision_id", "decision_line"], name="allocation_one_per_decision_line"
            ),
        ]
        triggers = allocation_triggers()

    def __str__(self) -> str:
        return f"{self.initiative} – {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("sroi:allocation", args=[self.pk])

    @property
    def state(self) -> AllocationState:
        """The status as people read it (`allocation_state`), from the `open_amount` annotation
        (`ledger_selectors.allocation_annotations`); without it, the stored status."""
        return allocation_state(self.status, getattr(self, "open_amount", None))


class ClosedYear(AppendOnlyModel):
    """A year closed for bookings: its annual report is published, or a civil servant closed it.

    A closed year never reopens. A correction of it is booked in an open year and points at the
    transaction it corrects (`Transaction.reversal_of`).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("closed year")
        verbose_name_plural = _("closed years")
        ordering = ["-year"]
        base_manager_name = "objects"
        triggers = [refuse_rewrites("closedyear_append_only")]

    def __str__(self) -> str:
        return str(self.year)
