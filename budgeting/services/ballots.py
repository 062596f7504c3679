"""Ballots: online by a resident, or on paper and with help at a Community Home (one per
resident across all channels, enforced by the database)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from common.services import refused_by_the_database, service
from governance import officing
from governance.models import CheckIn, OfficerShift

from .. import notify
from .. import rules as budgeting_rules
from ..models import Ballot, BallotChoice, Plan, Round, round_rules
from .base import _shift_refusal, _state, _vote_refusal


def _station(kwargs) -> budgeting_rules.RoundStation:
    """The `obj` of a paper ballot: the round (read afresh, not locked: ballots of many tables
    must not wait for each other; one per resident is kept by the database) at the location."""
    return budgeting_rules.RoundStation(
        round=Round.objects.get(pk=kwargs["round"].pk), location=kwargs["location"]
    )


def _station_is_voting(station: budgeting_rules.RoundStation) -> None:
    """The state part of `budgeting.enter_paper_ballot`: the location is not closed and the
    round's voting window is open."""
    officing.require_open(station.location)
    _voting_is_open(station.round)


NOT_OPEN = gettext_lazy("Voting in this round is not open.")
_voting_is_open = _state(budgeting_rules.voting_is_open, NOT_OPEN, "closed")


def _in_the_window():
    """A ballot the database refuses because its clock (which may run ahead of this server's)
    says voting has closed (`round_rules.BALLOT_IN_THE_WINDOW`) gets the services' own "not
    open", not a server error."""
    return refused_by_the_database(
        round_rules.OUTSIDE_THE_WINDOW, lambda: ValidationError(NOT_OPEN, code="closed")
    )


@service(
    "budgeting.vote", obj=lambda kw: Round.objects.get(pk=kw["round"].pk), message=_vote_refusal
)
def cast_ballot(*, actor: User | None, round: Round, plans) -> Ballot:
    """A resident's approval ballot: at least the round's minimum number of its plans, once."""
    try:
        with _in_the_window():
            return _cast(actor=actor, round=round, plans=plans)
    except IntegrityError:
        if Ballot.objects.filter(round=round, voter=actor).exists():
            raise ValidationError(
                _("You have already voted in this round."), code="voted"
            ) from None
        raise


def _cast(*, actor, round: Round, plans) -> Ballot:
    round = Round.objects.get(pk=round.pk)
    if Ballot.objects.filter(round=round, voter=actor).exists():
        raise ValidationError(_("You have already voted in this round."), code="voted")
    return _store_ballot(round, actor, plans, cast_at=timezone.now())


def _store_ballot(round: Round, voter, plans, **fields) -> Ballot:
    """The ballot and its choices, after the caller checked who may cast it (any channel)."""
    ids = {getattr(p, "pk", p) for p in plans}
    on_ballot = set(
        Plan.objects.filter(round=round, number__isnull=False, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    if on_ballot != ids:
        raise ValidationError(_("Choose only plans of this round."), code="plans")
    if len(ids) < round.min_plans:
        raise ValidationError(
            ngettext(
                "Choose at least %(min)s plan. You chose %(count)s.",
                "Choose at least %(min)s plans. You chose %(count)s.",
                round.min_plans,
            )
            % {"min": round.min_plans, "count": len(ids)},
            code="too_few",
        )
    ballot = Ballot.objects.create(round=round, voter=voter, **fields)
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, plan_id=pk) for pk in sorted(ids))
    # The voter is told, in this transaction: the notice (the database's trigger writes it on
    # PostgreSQL) becomes their message at once, with any of the round's still waiting.
    notify.note_where_the_database_does_not(ballot, ballot.cast_at)
    notify.tell_voters(round_id=round.pk)
    return ballot


@service(
    "budgeting.enter_paper_ballot",
    obj=_station,
    state=_station_is_voting,
    who="governance.act_as_officer",
    message=_shift_refusal,
)
def enter_paper_ballot(
    *,
    actor: User | None,
    round: Round,
    location,
    voter,
    plans,
    channel: str = Ballot.Channel.PAPER,
    identity_check: str,
) -> Ballot:
    """An officer in a check-in shift at a Community Home checks a resident in for the round and
    enters the plans ticked on their paper ballot, or the plans they choose on the station's
    screen with help (`channel`). The resident must be a verified resident of the round's area
    who has not voted yet, online or on paper (the database keeps one ballot per resident).
    The ballot records its channel, the location, the shift and the officer."""
    try:
        with _in_the_window():
            return _enter_paper(actor, round, location, voter, plans, channel, identity_check)
    except IntegrityError:
        if Ballot.objects.filter(round=round, voter=voter).exists():
            raise ValidationError(already_voted(round, voter), code="voted") from None
        raise


def already_voted(round: Round, voter) -> str:
    ballot = Ballot.objects.filter(round=round, voter=voter).select_related("location").first()
    if ballot is not None and ballot.location is not None:
        return _(
            "This resident has already voted in this round, at %(location)s. One vote per "
            "resident."
        ) % {"location": ballot.location}  # fmt: skip
    return _("This resident has already voted in this round, online. One vote per resident.")


def _enter_paper(actor, round, location, voter, plans, channel, identity_check) -> Ballot:

    now = timezone.now()
    if channel not in (Ballot.Channel.PAPER, Ballot.Channel.ASSISTED):
        raise ValidationError({"channel": _("Choose paper or assisted voting.")})
    if identity_check not in CheckIn.IdentityCheck.values:
        raise ValidationError({"identity_check": _("Say how you checked who this is.")})
    shift = officing.current_shift(
        officer=actor, location=location, task=OfficerShift.Task.CHECK_IN, at=now
    )
    if shift is None:
        raise ValidationError(
            _("You can only do this during your own check-in shift at %(location)s.")
            % {"location": location},
            code="no_shift",
        )
    round = Round.objects.get(pk=round.pk)  # voting: the rule asked it, and the window stays
    if voter is None or not budgeting_rules.may_vote_some_time.test(voter, round):
        raise ValidationError(
            _("This person is not a verified resident of %(area)s, so cannot vote in this round.")
            % {"area": round.area},
            code="not_resident",
        )
    officing.refuse_own_location(
        voter=voter, actor=actor, location=location,
        opens=round.voting_opens_at, closes=round.voting_closes_at,
    )  # fmt: skip
    if Ballot.objects.filter(round=round, voter=voter).exists():
        raise ValidationError(already_voted(round, voter), code="voted")
    return _store_ballot(
        round, voter, plans, cast_at=now, channel=channel, entered_by=actor,
        location=location, shift=shift, identity_check=identity_check,
    )  # fmt: skip
