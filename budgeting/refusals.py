"""Why someone cannot submit a plan, in words (B1), and where they can.

The rule `budgeting.submit_plan` has three parts (budgeting/rules.py): the round collects plans,
the person may submit by the verification requirements (`accounts.rules.may_do`; by default an
account is enough), and has a verification in the round's area. Each part that says no has its
own reason, asked in that order (a staff account first: it never submits), so a verified resident
of the area is never told to get verified when the round simply stopped collecting plans (the
review of 2026-12-06, finding 6).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import MemberVerification
from accounts.rules import is_staff_account
from accounts.selectors import may_do

from . import rules as budgeting_rules
from .models import Round


@dataclass(frozen=True)
class PlanRefusal:
    """The reason in words, and a round that does collect plans from this person (or None)."""

    text: str
    open_round: Round | None = None


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def plans_window(round: Round) -> tuple[datetime | None, datetime | None]:
    """When the round started and stopped collecting plans, from its history (one query);
    None for what has not happened (or is not on record)."""
    opened = closed = None
    steps = round.history.order_by("history_date", "history_id").values_list(
        "status", "history_date"
    )
    for status, moment in steps:
        if status == Round.Status.IDEAS and opened is None:
            opened = moment
        elif opened is not None and status != Round.Status.IDEAS:
            closed = moment
            break
    return opened, closed


def round_collecting_plans_for(user, *, other_than: Round) -> Round | None:
    """The newest other round that collects plans now and would take a plan from `user`.
    A handful of rounds collect plans at the same time, never many: the rule per round."""
    rounds = Round.objects.filter(status=Round.Status.IDEAS).exclude(pk=other_than.pk)
    for candidate in rounds.select_related("area"):
        if user.has_perm("budgeting.submit_plan", candidate):
            return candidate
    return None


def _phase(round: Round) -> str:
    if round.status == Round.Status.DRAFT:
        return _("Plans cannot be submitted yet: this round does not collect plans yet.")
    sentences = [
        _(
            "Plans can no longer be submitted: this round is past collecting plans "
            "(now: %(status)s)."
        )
        % {"status": round.get_status_display()}
    ]
    opened, closed = plans_window(round)
    if opened is not None and closed is not None:
        sentences.append(
            _("Plans could be submitted from %(start)s until %(end)s.")
            % {"start": _day(opened), "end": _day(closed)}
        )
    return " ".join(sentences)


def _areas_of(user) -> list[str]:
    verifications = MemberVerification.objects.filter(user=user, revoked_at__isnull=True)
    return sorted({str(v.area) for v in verifications.select_related("area")})


def plan_refusal(user, round: Round) -> PlanRefusal:
    """Why `user` may not submit a plan to `round`: the first part of the rule that says no."""
    if not budgeting_rules.collects_plans(user, round):
        open_round = None
        if round.status != Round.Status.DRAFT:
            open_round = round_collecting_plans_for(user, other_than=round)
        return PlanRefusal(_phase(round), open_round)
    if is_staff_account(user):
        return PlanRefusal(
            _(
                "Residents submit plans with their own, personal account. A staff account "
                "cannot submit a plan."
            )
        )
    not_verified = PlanRefusal(
        _(
            "Only verified residents can submit a plan. Your account is not verified, or "
            "your verification is no longer valid. A verification code or a visit to a "
            "Community Home makes you a verified resident."
        )
    )
    if not may_do(user, budgeting_rules.SUBMIT_PLAN):
        return not_verified
    if not budgeting_rules.lives_in_round_area(user, round):
        areas = _areas_of(user)
        if not areas:  # an account is enough by the requirements, but the area needs one
            return not_verified
        text = _("This round is for the residents of %(area)s.") % {"area": round.area}
        text += " " + _("You are a verified resident of %(areas)s, not of %(area)s.") % {
            "areas": ", ".join(areas),
            "area": round.area,
        }
        return PlanRefusal(text, round_collecting_plans_for(user, other_than=round))
    return PlanRefusal(
        _("Only verified residents of %(area)s can submit a plan, while the round collects plans.")
        % {"area": round.area}
    )
