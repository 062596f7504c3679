"""The officers' shifts, written by civil servants: recorded (chosen by the community board),
changed or withdrawn before they start, each with the officer told. A shift that has started is
the record of who was on duty: it stays as it is."""

from __future__ import annotations

from datetime import datetime

import rules
from django.core.exceptions import ValidationError
from django.db.models import PROTECT, ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import refused_by_the_database, service
from governance import notify
from governance.models import Location, OfficerShift
from governance.models.officing import SHIFT_KEPT_REFUSAL
from governance.officing.stations import _locked, _reason, forget_shifts, require_open

# Why a shift was changed or withdrawn: kept in its history (`history_change_reason`).
REASON_MAX_LENGTH = 100


def _time_and_task_errors(*, task: str, starts_at: datetime, ends_at: datetime) -> dict:
    errors = {}
    if task not in OfficerShift.Task.values:
        errors["task"] = _("Choose the task of the shift.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The shift must end after it starts.")
    return errors


@service("governance.manage_locations", system=True)
def add_shift(
    *,
    officer: User,
    location: Location,
    starts_at: datetime,
    ends_at: datetime,
    task: str,
    appointed_by: str,
    actor: User | None,
) -> OfficerShift:
    """Record an officer's shift (chosen by the community board) at a location."""
    errors = _time_and_task_errors(task=task, starts_at=starts_at, ends_at=ends_at)
    if not (appointed_by or "").strip():
        errors["appointed_by"] = _("Name the decision of the community board that chose them.")
    if officer is None or not officer.is_active:
        errors["officer"] = _("Choose an active account for the officer.")
    elif not rules.has_perm("governance.act_as_officer", officer):  # issue 15: verified
        errors["officer"] = _("This person is not verified to act as an officer.")
    if errors:
        raise ValidationError(errors)
    location = _locked(location)
    require_open(location)
    shift = OfficerShift(
        officer=officer,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
        task=task,
        appointed_by=appointed_by.strip(),
    )
    shift._history_user = actor
    shift.save()
    notify.shift_added(shift)
    forget_shifts(officer)  # this user object's cached shifts are stale now
    return shift


def _locked_shift(shift: OfficerShift) -> OfficerShift:
    """The shift read again and locked, refused when it is gone or has started: a second
    change or withdrawal, or the shift starting meanwhile, waits for this one."""
    found = (
        OfficerShift.objects.select_for_update()
        .select_related("location", "officer")
        .filter(pk=shift.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("This shift is withdrawn already."), code="gone")
    if found.starts_at <= timezone.now():
        raise _started()
    return found


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _has_records(shift: OfficerShift) -> bool:
    """Whether a record names the shift (a check-in, a paper count, a budget round's paper
    ballot): the relations that keep it from being deleted (`on_delete=PROTECT`), so a new kind
    of record counts here as it does for `cancel_shift`."""
    return any(
        getattr(shift, relation.get_accessor_name()).exists()
        for relation in OfficerShift._meta.related_objects
        if relation.on_delete is PROTECT
    )


def _kept_by_the_database():
    """A write of a shift that the database's guard refuses (`OfficerShift`'s trigger: it has
    started by the database's clock, which may run ahead of this server's) is "started", as
    the services' own check says, not a server error."""
    return refused_by_the_database(SHIFT_KEPT_REFUSAL, _started)


def _started() -> ValidationError:
    return ValidationError(
        _("This shift has started, so it stays on record as it is."), code="started"
    )


@service("governance.manage_locations", system=True)
def change_shift(
    *,
    shift: OfficerShift,
    starts_at: datetime,
    ends_at: datetime,
    task: str,
    reason: str,
    actor: User | None,
) -> OfficerShift:
    """Change when a shift that has not started runs, or its task, saying why; the officer is
    told what it was and what it is now. The officer and the decision that appointed them stay:
    another officer is another shift (withdraw this one, record that one). The new start is
    later than now, so a change never makes a shift that seems to have run."""
    errors = _time_and_task_errors(task=task, starts_at=starts_at, ends_at=ends_at)
    try:
        reason = _reason(reason, REASON_MAX_LENGTH, _("Say why the shift changes."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if "ends_at" not in errors and starts_at <= timezone.now():
        errors["starts_at"] = _("A changed shift must start later than now.")
    if errors:
        raise ValidationError(errors)
    # The location first, as closing it and recording a shift there lock it: no change lands
    # at a location that closed meanwhile.
    require_open(_locked(shift.location))
    found = _locked_shift(shift)
    if _has_records(found):  # its clock was moved behind the services' back: it stays
        raise _started()
    # To the minute, as the form shows times: saving the form unchanged changes nothing.
    if (_minute(found.starts_at), _minute(found.ends_at), found.task) == (
        _minute(starts_at),
        _minute(ends_at),
        task,
    ):
        raise ValidationError(
            _("Nothing changed: the times and the task are the same as before."),
            code="unchanged",
        )
    before = OfficerShift(starts_at=found.starts_at, ends_at=found.ends_at, task=found.task)
    found.starts_at, found.ends_at, found.task = starts_at, ends_at, task
    found._history_user, found._change_reason = actor, reason
    with _kept_by_the_database():
        found.save(update_fields=["starts_at", "ends_at", "task"])
    notify.shift_changed(found, before=before, reason=reason)
    forget_shifts(found.officer)
    return found


@service("governance.manage_locations", system=True)
def cancel_shift(*, shift: OfficerShift, reason: str, actor: User | None) -> None:
    """Take back a shift that has not started (the officer is ill, it was recorded twice): it
    goes, with who cancelled it and why in its history, and the officer is told. A shift that
    has started is the record of who was on duty: it stays."""
    reason = _reason(reason, REASON_MAX_LENGTH, _("Say why the shift is withdrawn."))
    found = _locked_shift(shift)
    notify.shift_cancelled(found, reason)  # rolled back with the rest if the delete is refused
    found._history_user, found._change_reason = actor, reason
    try:
        with _kept_by_the_database():
            found.delete()
    except ProtectedError as exc:  # something was recorded in it after all: it stays
        raise _started() from exc
    forget_shifts(found.officer)


def last_changes(shifts) -> dict:
    """The latest change (`change_shift`) of each of `shifts`, from their history, by shift id:
    when, by whom and why (one query, however many shifts)."""
    latest = {}
    ids = [shift.pk for shift in shifts]
    if ids:
        records = (
            OfficerShift.history.filter(id__in=ids, history_type="~")
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        for record in records:
            latest.setdefault(record.id, record)
    return latest


def withdrawn_shifts(location: Location) -> QuerySet:
    """The shifts withdrawn at `location` (`cancel_shift`), latest first: from their history,
    with who withdrew them and why."""
    return (
        OfficerShift.history.filter(location_id=location.pk, history_type="-")
        .select_related("officer", "history_user")
        .order_by("-history_date", "-history_id")
    )
