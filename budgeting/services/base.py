"""What the budget round's services share: the refusals, the round's lock and its steps."""

from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.services import service
from governance.models import Proposal
from sroi import ledger_selectors
from sroi.promises import Promise

from ..models import Round
from ..refusals import plan_refusal

Status = Round.Status


NOT_ALLOWED = gettext_lazy("You may not do this.")
# Who runs rounds: the "who" part of the rule of every step of a round (`who=` of its service).
MANAGE = "budgeting.manage_round"


def _plan_refusal(kwargs) -> str:
    actor = kwargs["actor"]
    if actor is not None and actor.is_active:
        return plan_refusal(actor, kwargs["round"]).text
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


def _state(predicate, message, code: str = "status"):
    """A service's `state` check (`common.services`): the state part of its rule, `predicate`
    asked of the round, refused with the state's own `message` (a text, or a function of the
    round giving it) and `code`."""

    def check(round: Round) -> None:
        if not predicate.test(None, round):
            text = message(round) if callable(message) else message
            raise ValidationError(text, code=code)

    return check


def round_step(rule: str, when, refusal=None):
    """The service of a step of a round's life: asks the step's `rule` of the locked round, a
    civil servant (`MANAGE`) hears why when the round is not `when` (`refusal`: a text, or by
    default "not possible now"), anyone else "You may not do this"."""
    return service(
        rule,
        obj="round",
        load=_locked,
        state=_state(when, refusal or _not_now),
        who=MANAGE,
        message=NOT_ALLOWED,
    )


def _not_now(round: Round) -> str:
    return _("This step is not possible now: the round is %(status)s.") % {
        "status": round.get_status_display().lower()
    }


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


# A round's budget is promised to its residents from freezing until its package is booked or
# the board rejects it: another round over the same fund cannot promise that money again.
PROMISED = (
    Round.Status.FROZEN,
    Round.Status.VOTING,
    Round.Status.COMPUTED,
    Round.Status.ADOPTION,
)


def _promising(fund_id: int):
    """The rounds over the fund that are frozen and whose package is not carried out or
    rejected yet (a round waits at the board until the civil servant settles it; its money is
    allocated, or free again, as soon as the board's decision is carried out or rejected)."""
    return Round.objects.filter(fund_id=fund_id, status__in=PROMISED).exclude(
        proposal__status__in=(Proposal.Status.EXECUTED, Proposal.Status.REJECTED)
    )


def rounds_promising(round: Round):
    """The other rounds over `round`'s fund that are frozen and not yet booked or rejected."""
    return _promising(round.fund_id).exclude(pk=round.pk)


def promises(fund, decision_id: int | None) -> list[Promise]:
    """The ledger's view of the rounds' promises over `fund` (`sroi.promises`), but the round
    whose package is the decision `decision_id`: its lines pay what it promised."""
    rounds = _promising(fund.pk)
    if decision_id is not None:
        rounds = rounds.exclude(proposal__decision__pk=decision_id)
    return [
        Promise(title, budget)
        for title, budget in rounds.order_by("pk").values_list("title", "budget")
    ]


def promised_elsewhere(round: Round) -> Decimal:
    """The budgets of `rounds_promising`: money residents are voting on, or the board deciding
    on, that is not booked yet."""
    return rounds_promising(round).aggregate(total=Sum("budget"))["total"] or Decimal("0.00")


def budget_now(round: Round) -> Decimal:
    """The budget the round would get if it were frozen now: the money available in its fund at
    the end of today, less what other rounds over the fund promised and have not booked yet
    (`promised_elsewhere`), in whole euros (the ledger takes no dates in the future, so this is
    all of it; the demo, which runs with its clock set back, sees that day's money)."""
    available = ledger_selectors.position(round.fund, until=timezone.localdate()).available
    free = max(available - promised_elsewhere(round), Decimal("0"))
    return free.to_integral_value(rounding=ROUND_FLOOR).quantize(Decimal("0.01"))


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


def _move(round: Round, actor, *, to: str) -> Round:
    """The round (locked by its service) to status `to`; the service's rule asked the state it
    comes from."""
    round.status = to
    _save(round, actor)
    return round
