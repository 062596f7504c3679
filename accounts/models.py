"""Users, the areas they live in, and how community members are verified.

Area lives here, not in `initiatives` as DESIGN.md first sketched: verification records the area a
resident is verified for, and `accounts` is the lowest layer, so every app above can use it.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import short_date
from common.models import AuditHistory

from . import permissions
from .access import load_access


class Role(models.TextChoices):
    """The roles of DESIGN.md; each is a Group of the same name (see accounts.roles)."""

    COMMUNITY_MEMBER = "community_member", _("Community member")
    YOUTH_COUNCIL = "youth_council", _("Youth council member")
    ADVISORY_MEMBER = "advisory_member", _("Advisory committee member")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A person with an account. Roles are group memberships; see `roles`."""

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roles(self) -> list[Role]:
        """The user's roles, in the order of `Role`; reads the groups once per user object."""
        if not hasattr(self, "_roles_cache"):
            prefetched = getattr(self, "_prefetched_objects_cache", {}).get("groups")
            if prefetched is not None:  # a list of users with prefetch_related("groups")
                self._group_names = {group.name for group in prefetched}
            elif not hasattr(self, "_group_names"):
                load_access(self)
            self._roles_cache = [role for role in Role if role.value in self._group_names]
        return self._roles_cache

    def has_role(self, role: Role) -> bool:
        return self.is_active and role in self.roles

    # Django's checks, asked of backends made once per process (accounts.permissions).
    def has_perm(self, perm: str, obj=None) -> bool:
        if self.is_active and self.is_superuser:
            return True
        return permissions.has_perm(self, perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.is_superuser:
            return True
        return permissions.has_module_perms(self, app_label)


class Area(models.Model):
    """A stadsdeel, wijk or buurt of the municipality; civil servants manage the list."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District (stadsdeel)")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood (wijk)")
        QUARTER = "quarter", _("Quarter (buurt)")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.NEIGHBOURHOOD
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VerificationCodeBatch(models.Model):
    """A request to print a number of verification codes for one area, kept for review.

    The codes themselves are made when the batch is printed, once: before that no code of the
    batch exists, so none can be used. A batch above VERIFICATION_BATCH_APPROVAL_ABOVE needs a
    second civil servant's approval before it can be printed (four eyes).
    """

    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="verification_code_batches",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="code_batches"
    )
    count = models.PositiveIntegerField(_("number of codes"))
    valid_days = models.PositiveIntegerField(_("valid for (days)"))
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_code_batches",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("batch of verification codes")
        verbose_name_plural = _("batches of verification codes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1), name="verificationcodebatch_count_positive"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="verificationcodebatch_approved_by_and_at_together",
            ),
            models.CheckConstraint(
                condition=~Q(approved_by=models.F("issuer")),
                name="verificationcodebatch_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(needs_approval=False)
                | Q(printed_at__isnull=True)
                | Q(approved_at__isnull=False),
                name="verificationcodebatch_printed_only_after_approval",
            ),
        ]

    def __str__(self) -> str:
        if self.created_at is None:
            return f"{self.count} × {self.area}"
        made = short_date(timezone.localtime(self.created_at), "j M Y")
        return f"{self.count} × {self.area} ({made})"

    @property
    def is_printable(self) -> bool:
        return self.printed_at is None and (not self.needs_approval or self.approved_at is not None)


class VerificationCode(models.Model):
    """A single-use code that a civil servant prints and hands to a resident.

    Only a hash of the code is stored: the code is shown once, when it is made.
    """

    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    suffix = models.CharField(
        _("last characters"),
        max_length=4,
        help_text=_("The last four characters, to recognise a printed code."),
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="verification_codes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="issued_verification_codes",
    )
    batch = models.ForeignKey(
        VerificationCodeBatch,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="codes",
        help_text=_("Empty for codes made before batches were recorded."),
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="used_verification_code",
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        ordering = ["-created_at", "suffix"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_by__isnull=True, used_at__isnull=True)
                | Q(used_by__isnull=False, used_at__isnull=False),
                name="verificationcode_used_by_and_at_together",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="verificationcode_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"…{self.suffix} ({self.area})"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    def is_expired(self, at=None) -> bool:
        return (at or timezone.now()) >= self.expires_at


class MemberVerification(models.Model):
    """The record that a resident was verified as a community member of an area.

    A member has at most one verification in force; a move or a mistake is recorded by
    revoking it (with who and why) and, where right, verifying again.
    """

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person, by a civil servant")
        CODE = "code", _("With a printed verification code")
        DIGID = "digid", _("With DigiD")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="verifications",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="verifications"
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications_done",
        help_text=_("For a code: the civil servant who issued it. Empty for DigiD."),
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)
    code = models.OneToOneField(
        VerificationCode,
        verbose_name=_("verification code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verification",
    )
    note = models.TextField(_("note"), blank=True)
    # Personal data: shown only to an officer at the check-in table of their own station (to
    # find the resident on a poll's roll), never in a list, an export or the API.
    date_of_birth = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_("Optional. Officers at a Community Home use it to find the resident."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications_revoked",
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("member verification")
        verbose_name_plural = _("member verifications")
        ordering = ["-verified_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_verification_per_user",
            ),
            models.CheckConstraint(
                condition=Q(method="code", code__isnull=False)
                | Q(method__in=["in_person", "digid"], code__isnull=True),
                name="verification_code_matches_method",
            ),
            # Only DigiD verifies without a civil servant behind it.
            models.CheckConstraint(
                condition=Q(method="digid") | Q(verified_by__isnull=False),
                name="verification_by_a_person_unless_digid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.area}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class VerificationRequirement(models.Model):
    """Per action, which verifications are enough and for how long one stays valid (issue 15).

    Data, not code: a civil servant's choice, with its history. `accounts.rules.may_do(action)`
    is the one check views and services ask; a running poll's roll was frozen when it opened
    and never changes when a verification expires or is revoked.
    """

    class Action(models.TextChoices):
        COMMENT = "comment", _("Comment on a proposal")
        SUBMIT_INITIATIVE = "submit_initiative", _("Submit an initiative")
        SUBMIT_PLAN = "submit_plan", _("Submit a plan in a budget round")
        POLL_VOTE = "poll_vote", _("Vote in a community poll")
        BUDGET_VOTE = "budget_vote", _("Vote in a budget round")
        BOARD_SEAT = "board_seat", _("Sit a seat on a board")
        OFFICER = "officer", _("Act as an officer of the Community Home")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices, unique=True)
    account_is_enough = models.BooleanField(
        _("an account is enough"),
        default=False,
        help_text=_("Anyone who is logged in may do this; no verification is needed."),
    )
    in_person = models.BooleanField(_("verified in person by a civil servant"), default=True)
    code = models.BooleanField(_("verified with a printed code"), default=True)
    digid = models.BooleanField(
        _("verified with DigiD"), default=True, help_text=_("Only when DigiD is set up.")
    )
    valid_days = models.PositiveIntegerField(
        _("valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: a verification stays valid until it is revoked."),
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("verification requirement")
        verbose_name_plural = _("verification requirements")
        ordering = ["action"]

    def __str__(self) -> str:
        return str(self.get_action_display())

    @property
    def methods(self) -> list[str]:
        """The verification methods that are enough, as `MemberVerification.Method` values."""
        Method = MemberVerification.Method
        allowed = (
            (Method.IN_PERSON, self.in_person),
            (Method.CODE, self.code),
            (Method.DIGID, self.digid),
        )
        return [method.value for method, yes in allowed if yes]


class ExternalIdentity(models.Model):
    """A log-in at an outside identity provider, tied to one account.

    Accounts are found by (provider, subject), never by e-mail address, so an identity provider
    can never take over a local account. For DigiD the subject is a keyed hash of the BSN: the
    BSN itself is never stored.
    """

    class Provider(models.TextChoices):
        STAFF_SSO = "staff_sso", _("Municipal log-in (SSO)")
        DIGID = "digid", _("DigiD")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="external_identities",
        db_index=False,  # a unique constraint or index begins with it
    )
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    subject = models.CharField(
        _("subject"),
        max_length=255,
        help_text=_("The identifier the provider gives. For DigiD a keyed hash of the BSN."),
    )
    created_at = models.DateTimeField(_("first log-in"), default=timezone.now)
    history = AuditHistory()

    class Meta:
        verbose_name = _("external log-in")
        verbose_name_plural = _("external log-ins")
        ordering = ["provider", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="one_account_per_external_identity"
            ),
            models.UniqueConstraint(
                fields=["user", "provider"], name="one_external_identity_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_provider_display()}"


from .rolelog import RoleChange  # noqa: E402, F401 - the role log's model, in its own module
