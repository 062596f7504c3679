"""What the budget round's services share: the refusals, the round's lock and its steps."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Round

Status = Round.Status


NOT_ALLOWED = gettext_lazy("You may not do this.")


def _plan_refusal(kwargs) -> str:
    return _(
        "Only verified residents of %(area)s can submit a plan, while the round collects plans."
    ) % {"area": kwargs["round"].area}


def _shift_refusal(kwargs) -> str:
    return _("You can only do this during your own check-in shift at %(location)s.") % {
        "location": kwargs["location"]
    }


def _vote_refusal(kwargs) -> str:
    return _("Only verified residents of %(area)s can vote, while voting is open.") % {
        "area": kwargs["round"].area
    }


def _locked(round: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round.pk)


def _save(obj, actor) -> None:
    obj._history_user = actor
    obj.save()


def _whole_euros(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationError({field: _("Give the amount in whole euros.")}) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value():
        raise ValidationError({field: _("Give the amount in whole euros, more than zero.")})
    if amount >= Decimal("1e12"):
        raise ValidationError({field: _("This amount is too large.")})
    return amount.quantize(Decimal("0.01"))


def _is_percent(value) -> bool:
    try:
        return value is None or (int(value) == value and 0 <= int(value) <= 100)
    except (TypeError, ValueError):
        return False


def _refuse_frozen(round: Round) -> None:
    if round.is_frozen:
        raise ValidationError(
            _("This round is frozen: its budget, plans and rules can no longer change."),
            code="frozen",
        )


def _check_window(opens, closes) -> None:
    if opens and closes and closes <= opens:
        raise ValidationError({"voting_closes_at": _("Voting must close after it opens.")})


def _move(round: Round, actor, *, frm: tuple, to: str) -> Round:
    round = _locked(round)
    if round.status not in frm:
        raise ValidationError(
            _("This step is not possible now: the round is %(status)s.")
            % {"status": round.get_status_display().lower()},
            code="status",
        )
    round.status = to
    _save(round, actor)
    return round
