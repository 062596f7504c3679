"""Every role given or taken, on record for good: the role log.

A role is a group membership (`accounts.roles`), a row of `accounts_user_groups`. Whoever adds or
removes one (a service, the admin, a management command, or SQL with the application's own
database role) leaves a `RoleChange`: on PostgreSQL the table's trigger writes it (migration
accounts 0013), in the statement that changed the role, with the account that acted when the
application says so (the setting `burgerkracht.actor`, set here for its own changes) and the
database role that was logged in; on SQLite (`make run`, the fast tests) `record_group_change`
writes it. Rows are append-only in the database (`refuse_rewrites`): an administrator or a DBA who
gives someone a role can no longer do so without a trace (insider review 2026-12-05).
"""

from django.db import connection, models
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import refuse_rewrites

ACTOR_SETTING = "burgerkracht.actor"


class RoleChange(models.Model):
    """One role given to or taken from an account. Names are copied, not linked: the record
    stays as it was written, whatever happens to the account or the group later."""

    user_id = models.IntegerField(_("account number"))
    username = models.CharField(_("account"), max_length=150)
    role = models.CharField(_("role"), max_length=150)
    given = models.BooleanField(_("given"), help_text=_("Given (yes) or taken away (no)."))
    moment = models.DateTimeField(_("moment"))
    actor_id = models.IntegerField(_("number of the account that acted"), null=True)
    actor_username = models.CharField(_("by"), max_length=150, blank=True)
    database_role = models.CharField(_("database role"), max_length=63, blank=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-moment", "-id"]
        triggers = [refuse_rewrites("rolechange_append_only")]

    def __str__(self) -> str:
        return f"{self.username}: {self.role}"


def _actor():
    """Who acts, as the services tell django-simple-history (`common.services.audit_user`), or
    the signed-in user of a request; None for a command or the system."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record_group_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """An m2m_changed receiver for `User.groups`: on PostgreSQL tell the trigger who acts; on
    SQLite write the role changes themselves."""
    if action not in ("pre_add", "pre_remove", "pre_clear", "post_add"):
        return
    actor = _actor()
    if connection.vendor == "postgresql":
        if action.startswith("pre_"):  # in the transaction of the change (Django's own atomic)
            with connection.cursor() as cursor:
                value = "" if actor is None else str(actor.pk)
                cursor.execute("SELECT set_config(%s, %s, true)", [ACTOR_SETTING, value])
        return
    side, other = ("group_id", "user_id") if reverse else ("user_id", "group_id")
    if action in ("pre_remove", "pre_clear"):  # the rows that are there, before they go
        rows = sender.objects.filter(**{side: instance.pk})
        if action == "pre_remove":
            rows = rows.filter(**{f"{other}__in": pk_set or ()})
        pairs = list(rows.values_list("user_id", "group_id"))
        given = False
    elif action == "post_add" and pk_set:  # Django leaves out the rows that were there
        pairs = [(pk, instance.pk) if reverse else (instance.pk, pk) for pk in pk_set]
        given = True
    else:
        return
    if pairs:
        _write(sender, pairs, given=given, actor=actor)


def _write(through, pairs: list[tuple[int, int]], *, given: bool, actor) -> None:
    user_model = through._meta.get_field("user").related_model
    group_model = through._meta.get_field("group").related_model
    users = dict(
        user_model.objects.filter(pk__in={u for u, _g in pairs}).values_list("pk", "username")
    )
    groups = dict(
        group_model.objects.filter(pk__in={g for _u, g in pairs}).values_list("pk", "name")
    )
    now = timezone.now()
    RoleChange.objects.bulk_create(
        RoleChange(
            user_id=user_id,
            username=users.get(user_id, ""),
            role=groups.get(group_id, ""),
            given=given,
            moment=now,
            actor_id=actor.pk if actor is not None else None,
            actor_username=actor.get_username() if actor is not None else "",
        )
        for user_id, group_id in pairs
    )


def connect(user_model) -> None:
    m2m_changed.connect(record_group_change, sender=user_model.groups.through)
