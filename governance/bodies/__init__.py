"""Every write to bodies, seats and decision rules (the services of the staff pages).

Each change takes the `actor` and a required reason, and writes its audit row (django-simple-
history, with the reason as the change reason) in the same transaction. The composition rule is
enforced here, not warned about: a seat change that leaves a deciding body without 50%+1 of its
voting seats on the community side (community and youth seats) is refused, on every day from
today on. A body whose seats broke the rule before may still be repaired step by step: a change
that brings it closer to the rule is allowed.

A vote that is running or decided never sees these changes: `services.open_voting` freezes the
rule and the seats on the proposal.
"""

from datetime import date, timedelta

import rules
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from common.services import service
from governance import selectors
from governance.models import COMMUNITY_SIDES, Body, DecisionRule, Seat, Side

# The seat holder's own permission (accounts' requirement of "board_seat"), asked of the rule set,
# so a superuser's shortcut in `User.has_perm` never puts a staff account on the community side.
SIT_BOARD_SEAT = "governance.sit_board_seat"
# django-simple-history keeps the change reason in a column of 100 characters.
REASON_MAX_LENGTH = 100
RULE_FIELDS = (
    "name",
    "majority_percent",
    "quorum",
    "quorum_value",
    "abstentions_count_toward_quorum",
    "community_guarantee",
)
BODY_FIELDS = ("name", "kind", "description", "decision_rule")


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you make this change.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Say why in at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}}
        )
    return reason


def _save(instance, *, actor, reason: str) -> None:
    instance._history_user = actor
    instance._change_reason = reason
    instance.save()


# --- Decision rules -------------------------------------------------------------------------


def _set_rule_fields(rule: DecisionRule, fields: dict) -> None:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(rule, name, value.strip() if isinstance(value, str) else value)
    if rule.quorum in (DecisionRule.Quorum.NONE, DecisionRule.Quorum.MAJORITY):
        rule.quorum_value = 0
    elif not rule.quorum_value:
        raise ValidationError({"quorum_value": _("Enter the number or percentage of the quorum.")})
    rule.full_clean()


@service("governance.manage_bodies", system=True)
def create_decision_rule(*, actor: User | None, reason: str, **fields) -> DecisionRule:
    """Make a decision rule; bodies and polls can use it from now on."""
    reason = _clean_reason(reason)
    rule = DecisionRule()
    _set_rule_fields(rule, fields)
    _save(rule, actor=actor, reason=reason)
    return rule


@service("governance.manage_bodies", system=True)
def update_decision_rule(
    *, rule: DecisionRule, actor: User | None, reason: str, **fields
) -> DecisionRule:
    """Change a decision rule. Votes already open keep the rule as it was when they opened."""
    reason = _clean_reason(reason)
    rule = DecisionRule.objects.select_for_update().get(pk=rule.pk)
    _set_rule_fields(rule, fields)
    _save(rule, actor=actor, reason=reason)
    return rule


# --- Bodies ---------------------------------------------------------------------------------


def _check_body(body: Body) -> None:
    if body.decides and body.decision_rule_id is None:
        raise ValidationError({"decision_rule": _("A body that decides needs a decision rule.")})
    body.full_clean()


def _unique_slug(body: Body) -> str:
    base = slugify(body.name)[:110] or "orgaan"
    slug, number = base, 2
    while Body.objects.filter(slug=slug).exclude(pk=body.pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@service("governance.manage_bodies", system=True)
def create_body(
    *,
    name: str,
    kind: str,
    actor: User | None,
    reason: str,
    description: str = "",
    decision_rule: DecisionRule | None = None,
) -> Body:
    """Make a body without seats; a deciding body can open a vote once its seats meet the rule."""
    reason = _clean_reason(reason)
    body = Body(
        name=name.strip(), kind=kind, description=description.strip(), decision_rule=decision_rule
    )
    body.slug = _unique_slug(body)
    _check_body(body)
    _save(body, actor=actor, reason=reason)
    return body


@service("governance.manage_bodies", system=True)
def update_body(
    *,
    body: Body,
    name: str,
    kind: str,
    actor: User | None,
    reason: str,
    description: str = "",
    decision_rule: DecisionRule | None = None,
) -> Body:
    """Change a body's name, kind, description or rule (votes already open keep theirs)."""
    reason = _clean_reason(reason)
    body = Body.objects.select_for_update().get(pk=body.pk)
    was_deciding = body.decides
    body.name, body.kind, body.description = name.strip(), kind, description.strip()
    body.decision_rule = decision_rule
    _check_body(body)
    if body.decides and not was_deciding and body.seats.exists():
        _check_seats(body, before={})
    _save(body, actor=actor, reason=reason)
    return body


# --- Seats ----------------------------------------------------------------------------------


def _days_to_check(body: Body) -> list[date]:
    """Today and every later day on which a seat of `body` starts or ends."""
    today = timezone.localdate()
    days = {today}
    for starts_on, ends_on in body.seats.values_list("starts_on", "ends_on"):
        if starts_on > today:
            days.add(starts_on)
        if ends_on is not None and ends_on >= today:
            days.add(ends_on + timedelta(days=1))
    return sorted(days)


def _compositions(body: Body) -> dict[date, selectors.Composition]:
    return {day: selectors.composition(body, day) for day in _days_to_check(body)}


def _closer_to_the_rule(before: selectors.Composition | None, after) -> bool:
    """A larger community share of the voting seats than before (a repair of a broken body)."""
    if before is None or after.voting == 0:
        return False
    if before.voting == 0:
        return after.community > 0
    return after.community * before.voting > before.community * after.voting


def _check_seats(body: Body, *, before: dict) -> None:
    """Refuse the change if, on some day from today, the body loses its community majority."""
    if not body.decides:
        return
    for day, after in _compositions(body).items():
        if after.ok or _closer_to_the_rule(before.get(day), after):
            continue
        raise ValidationError(
            _(
                "This change is not possible: on %(day)s the community side (community and youth "
                "seats) of %(body)s would hold %(community)d of %(voting)d voting seats, and it "
                "needs at least %(needed)d. Add a community seat first, or end an institution "
                "seat."
            )
            % {
                "day": date_format(day),
                "body": body,
                "community": after.community,
                "voting": after.voting,
                "needed": after.needed,
            },
            code="composition",
        )


def _lock_body(body: Body) -> Body:
    # One seat change per body at a time, so two changes cannot each pass the check alone.
    return Body.objects.select_for_update().get(pk=body.pk)


@service("governance.manage_bodies", system=True)
def add_seat(
    *, body: Body, user, side: str, starts_on: date, actor: User | None, reason: str, ends_on=None
) -> Seat:
    """Give `user` a seat on `body` from `starts_on`; refused if it breaks the composition rule."""
    reason = _clean_reason(reason)
    body = _lock_body(body)
    if side not in Side.values:
        raise ValidationError({"side": _("Choose the side of the seat.")})
    if not body.decides and side != Side.ADVISORY:
        raise ValidationError({"side": _("A body that does not decide only has advisory seats.")})
    overlapping = body.seats.filter(user=user, starts_on__lte=ends_on or date.max).exclude(
        ends_on__lt=starts_on
    )
    if overlapping.exists():
        raise ValidationError({"user": _("This person already holds a seat on this body then.")})
    if side in COMMUNITY_SIDES and not rules.has_perm(SIT_BOARD_SEAT, user):
        raise ValidationError(
            {
                "user": _(
                    "This person is not verified for a seat on the community side. A civil "
                    "servant first checks who they are."
                )
            },
            code="not_verified",
        )
    before = _compositions(body)
    seat = Seat(body=body, user=user, side=side, starts_on=starts_on, ends_on=ends_on)
    seat.full_clean()
    _save(seat, actor=actor, reason=reason)
    _check_seats(body, before=before)
    return seat


@service("governance.manage_bodies", system=True)
def end_seat(*, seat: Seat, ends_on: date, actor: User | None, reason: str) -> Seat:
    """End a seat on `ends_on` (its last day); refused if it breaks the composition rule."""
    reason = _clean_reason(reason)
    _lock_body(seat.body)
    seat = Seat.objects.select_for_update().select_related("body").get(pk=seat.pk)
    if seat.ends_on is not None and seat.ends_on < timezone.localdate():
        raise ValidationError(_("This seat has ended already."), code="ended")
    if ends_on < seat.starts_on:
        raise ValidationError({"ends_on": _("A seat cannot end before it starts.")})
    if ends_on < timezone.localdate() - timedelta(days=1):
        raise ValidationError({"ends_on": _("A seat cannot end in the past.")})
    before = _compositions(seat.body)
    seat.ends_on = ends_on
    seat.full_clean()
    _save(seat, actor=actor, reason=reason)
    _check_seats(seat.body, before=before)
    return seat
