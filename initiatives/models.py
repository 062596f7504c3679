"""The registry of citizen initiatives and their classifications."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from common.models import AuditHistory
from security.uploads import RandomName

from .classifications import (
    MULTI_SCHEMES,
    Bloedgroep,
    GovernmentRelation,
    InitiatorType,
    OrganisationForm,
    Phase,
)


class Classification(models.Model):
    """One value of a multi-valued classification scheme (a leefgebied, a werkveld, …).

    The rows are made by a data migration from `classifications.MULTI_SCHEMES`; the label comes
    from the code (so it is translated), the row exists so that initiatives can be filtered by it.
    """

    class Scheme(models.TextChoices):
        WERKVELD = "werkveld", _("Work field")
        DOELGROEP = "doelgroep", _("Target group cluster")
        TOEGEVOEGDE_WAARDE = "toegevoegde_waarde", _("Added value")
        DREMPEL = "drempel", _("Thresholds passed")
        SOCIALIZATION_DOELGROEP = "socialization_doelgroep", _("Socialization+ target group")
        LEEFGEBIED = "leefgebied", _("Area of life (leefgebied)")

    scheme = models.CharField(_("scheme"), max_length=40, choices=Scheme.choices)
    code = models.CharField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="classification_unique_code")
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        choices = MULTI_SCHEMES[self.scheme]
        return choices(self.code).label


# Kept at module level so that services can write one audit row for a change of fields and
# classifications together (simple-history would otherwise write one per m2m signal).
initiative_history = AuditHistory(m2m_fields=["classifications"], excluded_fields=["search_vector"])

# The register's search column on PostgreSQL: the Dutch text vector (name, summary, description,
# weighted A/B/C), computed by the database on every insert and update, so no path that writes
# an initiative (a service, an import, the admin, raw SQL) can leave it stale. A GIN index on it
# is made by migration 0005 on PostgreSQL only. SQLite keeps the column empty (its search is the
# simple fallback in selectors.search).
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.name, '')), 'A') || "
    "setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.summary, '')), 'B') || "
    "setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.description, '')), 'C')"
)


class Initiative(models.Model):
    """A citizen initiative (burgerinitiatief) as the municipality registers it."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(
        _("short summary"), max_length=300, help_text=_("One or two sentences, shown in lists.")
    )
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="initiatives",
        db_index=False,  # a unique constraint or index begins with it
    )
    initiator_type = models.CharField(_("initiator"), max_length=30, choices=InitiatorType.choices)
    organisation_form = models.CharField(
        _("organisation form"), max_length=30, choices=OrganisationForm.choices
    )
    phase = models.CharField(_("phase"), max_length=30, choices=Phase.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    website = models.URLField(_("website"), blank=True)
    bloedgroep = models.CharField(
        _("blood group (bloedgroep)"), max_length=40, choices=Bloedgroep.choices, blank=True
    )
    government_relation = models.CharField(
        _("relation to the government"),
        max_length=40,
        choices=GovernmentRelation.choices,
        blank=True,
    )
    classifications = models.ManyToManyField(
        Classification,
        verbose_name=_("classifications"),
        blank=True,
        related_name="initiatives",
    )
    # Personal data of the initiator: shown to civil servants only.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_vector = SearchVectorField(_("search text"), null=True, editable=False)
    history = initiative_history

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "phase"]),
            models.Index(fields=["area", "name"]),
            # The register's order (name, then key): page 1 and a deep page read it in order
            # (common.paging.KeysFirst pages by these keys without touching the rows).
            models.Index(fields=["name", "id"], name="initiative_name_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="initiative_name_not_empty"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="initiative_search_vector",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=f"NEW.search_vector := {SEARCH_VECTOR_SQL}; RETURN NEW;",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", args=[self.slug])

    def classifications_in(self, scheme: str) -> list[Classification]:
        """The classifications of one scheme; uses the prefetch cache when there is one."""
        return [c for c in self.classifications.all() if c.scheme == scheme]


class InitiativeImport(models.Model):
    """An uploaded register file: validated first, imported in one transaction when confirmed."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Checked, not imported")
        IMPORTED = "imported", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    file = models.FileField(_("file"), upload_to=RandomName("imports"))
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREVIEW
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    imported_count = models.PositiveIntegerField(_("rows imported"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
