"""Casting a vote: a roll-call vote on a board, or a sealed secret ballot in a poll.

Votes are checked again after they are written, under the lock the database takes for the
foreign key, so a vote can never slip in after the tally was made (see `cast_vote`).
"""

import uuid
from contextlib import nullcontext
from functools import cache

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import prepared
from common.services import database_refusal, refused_by_the_database

from .. import sealing
from ..models import (
    CheckIn,
    Choice,
    ElectorateEntry,
    Participation,
    ParticipationNotice,
    PollKey,
    Proposal,
    SealedBallot,
    Vote,
)
from ..models.voting import OUTSIDE_THE_WINDOW
from ..selectors.ballots import voter_facts


def _closed() -> ValidationError:
    return ValidationError(_("Voting on this proposal has closed."), code="closed")


def window_refusal(proposal: Proposal) -> ValidationError | None:
    """Why nobody can vote on `proposal` now (closed, or not open), or None while it is open.
    The voting service raises it; the ballot page says it."""
    now = timezone.now()
    opened = proposal.status == Proposal.Status.VOTING and proposal.opens_at is not None
    if not opened or proposal.opens_at > now or proposal.closes_at is None:
        if proposal.status == Proposal.Status.COUNTING or proposal.is_decided:
            return _closed()
        return ValidationError(_("Voting on this proposal is not open."), code="not_open")
    if now >= proposal.closes_at:
        return _closed()
    return None


def _check_window(proposal: Proposal) -> None:
    refusal = window_refusal(proposal)
    if refusal is not None:
        raise refusal


def closed_by_the_database():
    """A transaction whose vote, check-in or participation the database refuses because its
    clock says the window is shut (`models.voting.IN_THE_WINDOW`; it may run ahead of this
    server's): "closed", as the services' own check says, not a server error."""
    return refused_by_the_database(OUTSIDE_THE_WINDOW, _closed)


def cast_vote(*, proposal: Proposal, choice: str, actor) -> str | None:
    """Record `actor`'s vote; both kinds can be changed until voting closes (the last counts).

    A body's vote is one open row. A poll ballot is sealed (`_cast_sealed_ballot`) and the
    tracking code of the voter's receipt is returned; it is stored nowhere else in readable form.
    Outside the window or outside the roll: a ValidationError, nothing changed.

    Not a `@service`: a sealed ballot takes two transactions on purpose (see
    `_cast_sealed_ballot`), which one surrounding transaction would join. Who may vote is the
    frozen roll, checked here under the window's lock with its own message.
    """
    if choice not in Choice.values:
        raise ValidationError(_("Choose for, against or abstain."), code="choice")
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("Log in to vote."), code="anonymous")
    if proposal.is_poll:
        return _cast_sealed_ballot(proposal, choice, actor)
    try:
        with closed_by_the_database():
            _cast_board_vote(proposal, choice, actor)
    except IntegrityError as error:
        # Two requests of the same voter at once: the unique constraint let one through.
        raise ValidationError(
            _("Your vote was being recorded at the same moment; look at the page again."),
            code="twice",
        ) from error
    return None


def _roll_side(proposal: Proposal, actor) -> str:
    """The actor's side on the frozen roll; refused when they are not on it."""
    facts = voter_facts(proposal, actor)
    if facts is not None:
        side = facts.side
    else:
        side = (
            ElectorateEntry.objects.filter(proposal=proposal, user=actor)
            .values_list("side", flat=True)
            .first()
        )
    if side is None:
        raise ValidationError(
            _("You are not on the roll of this vote, so you cannot vote on it."),
            code="not_in_electorate",
        )
    return side


_WINDOW = ("status", "opens_at", "closes_at")


def _read_window(proposal: Proposal, *, lock: str) -> Proposal:
    """Read the voting window of `proposal` into it again, in one query under `lock`.

    "no_key": FOR NO KEY UPDATE (a roll-call vote: closing waits for it, it waits for closing).
    "key_share": FOR KEY SHARE on PostgreSQL (ballots do not wait for each other, but closing,
    which takes FOR UPDATE, waits for ballots in progress, and a ballot after closing sees the
    new status). Django's foreign keys cannot give this: they are DEFERRABLE INITIALLY
    DEFERRED, so only checked, and locked, at COMMIT.
    SQLite has no row locks; our transactions there begin IMMEDIATE (settings), so writers are
    serialised from the first statement and the window read here cannot change before COMMIT.
    """
    rows = Proposal.objects.filter(pk=proposal.pk)
    if lock == "key_share" and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_key_share_sql(), [proposal.pk])
            values = cursor.fetchone()
    else:
        if lock == "no_key":
            rows = rows.select_for_update(no_key=True)
        values = rows.values_list(*_WINDOW).get()
    for name, value in zip(_WINDOW, values, strict=True):
        setattr(proposal, name, value)
    return proposal


@cache
def _key_share_sql() -> str:
    """The window read under FOR KEY SHARE (PostgreSQL), compiled once per process: every
    sealed ballot runs it twice, and compiling it cost more than running it."""
    query = Proposal.objects.filter(pk=0).values_list(*_WINDOW).query
    sql, _pk = query.sql_with_params()  # one parameter: the pk
    return f"{sql} FOR KEY SHARE"


def _share_lock(proposal: Proposal) -> Proposal:
    """A fresh copy of `proposal` read under the key-share lock (see `_read_window`); the
    check-in at a Community Home uses it."""
    return _read_window(Proposal.objects.get(pk=proposal.pk), lock="key_share")


def _cast_board_vote(proposal: Proposal, choice: str, actor) -> None:
    # The row lock makes closing wait for this vote (and this vote wait for closing).
    _read_window(proposal, lock="no_key")
    _check_window(proposal)
    side = _roll_side(proposal, actor)
    vote = Vote.objects.filter(proposal=proposal, user=actor).first()
    if vote is None:
        vote = Vote(proposal=proposal, user=actor, side=side)
    vote.choice = choice
    vote.cast_at = timezone.now()
    vote._history_user = actor
    vote.save()


def _public_key(proposal: Proposal) -> bytes:
    try:
        # Loaded with the proposal by `selectors.proposal_for_vote`; a key is never replaced.
        return bytes(proposal.poll_key.public_key)
    except PollKey.DoesNotExist:
        raise ValidationError(
            _("This poll was opened without a key, so it cannot take secret ballots."),
            code="no_key",
        ) from None


def _checked_in(proposal: Proposal, actor) -> bool:
    facts = voter_facts(proposal, actor)
    if facts is not None:
        return facts.checked_in
    return CheckIn.objects.filter(proposal=proposal, voter=actor).exists()


def _insert_while_open(proposal: Proposal, model, values: dict, *, once: bool = False) -> bool:
    """Write one `model` row with `values` only while `proposal`'s voting window is open; True
    when it was written.

    One statement: the window is read under FOR KEY SHARE (PostgreSQL; see `_read_window`) in
    the INSERT itself, so no vote is written after closing took its lock, in one round trip to
    the database; it needs no transaction around it (a single statement is one). `once`: a
    second row of the same (proposal, user) writes nothing (ON CONFLICT DO NOTHING on the
    unique constraint) instead of failing; any other refusal of the database is raised.
    On SQLite the statement runs in our IMMEDIATE transaction (the write lock from the start).
    """
    sql = _insert_sql(connection.vendor, model, tuple(values), once)
    now = Proposal._meta.get_field("closes_at").get_db_prep_value(timezone.now(), connection)
    params = [proposal.pk, Proposal.Status.VOTING, now, now]
    for name, value in values.items():
        params.append(model._meta.get_field(name).get_db_prep_save(value, connection))
    postgresql = connection.vendor == "postgresql"
    with nullcontext() if postgresql else transaction.atomic(), connection.cursor() as cursor:
        try:
            cursor.execute(sql, params)
        except DatabaseError as exc:  # the database's clock says the window is shut?
            if (refusal := database_refusal(exc, OUTSIDE_THE_WINDOW, _closed)) is None:
                raise
            raise refusal from exc
        return cursor.fetchone() is not None


@cache
def _insert_sql(vendor: str, model, names: tuple[str, ...], once: bool) -> str:
    """The INSERT of `_insert_while_open`, composed once per process: names from our models,
    every value a parameter."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    window = " AND ".join(
        f"{quote(column)} {test} %s"
        for column, test in (("id", "="), ("status", "="), ("opens_at", "<="), ("closes_at", ">"))
    )
    lock = " FOR KEY SHARE" if vendor == "postgresql" else ""
    conflict = ""
    if once:
        conflict = f" ON CONFLICT ({quote('proposal_id')}, {quote('user_id')}) DO NOTHING"
    return prepared.register(  # every vote runs these: planned once per connection
        f"WITH w AS (SELECT 1 FROM {quote(Proposal._meta.db_table)} WHERE {window}{lock})"  # noqa: S608
        f" INSERT INTO {quote(model._meta.db_table)} ({columns})"
        f" SELECT {', '.join(['%s'] * len(names))} FROM w WHERE true{conflict} RETURNING 1"
    )


def _refuse_outside_window(proposal: Proposal) -> None:
    """After a write found the window shut: the reason, read fresh (closed, not open yet)."""
    _check_window(_read_window(proposal, lock=""))
    raise _closed()


def tell_where_the_database_does_not(proposal_id: int, user_id: int, moment) -> None:
    """The "you took part" notice of a participation just written: on PostgreSQL the
    participation's trigger writes it (also for one written by SQL); on SQLite this does."""
    if connection.vendor != "postgresql":
        ParticipationNotice.objects.create(proposal_id=proposal_id, user_id=user_id, moment=moment)


def _record_participation(proposal: Proposal, actor) -> bool:
    """Write that `actor` took part, once, while voting is open, with the notice that tells
    them so (`ParticipationNotice`, in the same transaction); True when this call wrote it.

    One guarded INSERT (`_insert_while_open`; on PostgreSQL the participation's trigger writes
    the notice, as for any participation, also one written by SQL; on SQLite this does):
    a race of two first votes meets the unique constraint and the second writes nothing. A
    voter known to have taken part already (loaded with the proposal) writes nothing at all:
    participations are never removed while a poll is open.
    """
    facts = voter_facts(proposal, actor)
    if facts is not None and facts.participated:
        return False
    values = {"id": uuid.uuid4(), "proposal": proposal.pk, "user": actor.pk}
    values["channel"] = Participation.Channel.ONLINE
    if connection.vendor == "postgresql":
        # One statement writes the participation and, by its trigger, the notice.
        if _insert_while_open(proposal, Participation, values, once=True):
            return True
    else:
        with transaction.atomic():
            if _insert_while_open(proposal, Participation, values, once=True):
                tell_where_the_database_does_not(proposal.pk, actor.pk, timezone.now())
                return True
    if Participation.objects.filter(proposal=proposal, user=actor).exists():
        return False  # the other first vote wrote it
    _refuse_outside_window(proposal)


def _cast_sealed_ballot(proposal: Proposal, choice: str, actor, *, assisted: bool = False) -> str:
    """Two statements, each its own transaction, so no transaction id, commit time or WAL record
    holds both the voter and their (sealed) ballot: first the sealed ballot, then the record that
    `actor` voted.

    The sealed payload holds the choice, a random tracking code, a keyed hash of the voter and a
    counter; the tally keeps the highest counter per voter among those with a participation. So
    a ballot whose participation was refused (voting closed in between) is never counted.
    No history rows: they would record who and when.

    The roll, the check-in and the poll key are read once, before the transactions (from the
    proposal when `selectors.proposal_for_vote` loaded it): the roll and the key do not change
    while the poll is open, and a check-in racing an online vote is settled at the tally (the
    paper vote counts). Each statement reads the window under its lock (`_insert_while_open`).
    """
    code = sealing.new_tracking_code()
    _roll_side(proposal, actor)
    if not assisted and _checked_in(proposal, actor):
        # Paper (or assisted) first, then online: the vote at the location stands.
        raise ValidationError(
            _(
                "You have already voted at a Community Home for this poll, so you cannot "
                "vote online any more."
            ),
            code="voted_at_location",
        )
    public_key = _public_key(proposal)
    tag = sealing.voter_tag(proposal_id=proposal.pk, user_id=actor.pk)
    ciphertext = sealing.seal_ballot(
        public_key=public_key,
        choice=choice,
        tracking_code=code,
        tag=tag,
        counter=sealing.ballot_counter(tag),  # orders this voter's ballots; tells no time
    )
    ballot = {"id": uuid.uuid4(), "proposal": proposal.pk, "ciphertext": ciphertext}
    if not _insert_while_open(proposal, SealedBallot, ballot):
        _refuse_outside_window(proposal)
    facts = voter_facts(proposal, actor)
    if facts is not None and facts.participated:
        # A changed vote: the participation is there already (never removed while open).
        return code
    # With its notice, in its own transaction, not the ballot's: it says who, never what.
    _record_participation(proposal, actor)
    return code
