""" "You voted": every budget ballot tells its voter, however it was written (insider review F5).

A ballot's notice (`BallotNotice`) is written in the ballot's own transaction: on PostgreSQL by
the ballot's trigger, also for a ballot written by SQL; on SQLite by the service
(`note_where_the_database_does_not`). `tell_voters` turns the waiting notices into the voters'
messages (the "you voted" kind of `notifications`, which everyone gets whatever they chose)
and marks each told by its voter's message (a notice is never deleted: see `BallotNotice`).
The services call it in the ballot's transaction, and computing the outcome calls it for the
whole round first: nobody's ballot is counted before they were told of it.
"""

from django.db import connection
from django.utils.translation import gettext as _

from notifications import services as notifications
from notifications.messages import in_each_language, moment_in_each_language
from notifications.models import Kind

from .models import Ballot, BallotNotice


def note_where_the_database_does_not(ballot: Ballot, moment) -> None:
    """The notice of a ballot just written: on PostgreSQL its trigger writes it (also for a
    ballot written by SQL); on SQLite this does."""
    if connection.vendor != "postgresql":
        BallotNotice.objects.create(ballot=ballot, moment=moment)


def _where(ballot: Ballot) -> str:
    """What the notice names: the round, the channel and (paper, with help) the place."""
    if ballot.channel == Ballot.Channel.PAPER:
        return _("budget round %(title)s (on paper, at %(location)s)") % {
            "title": ballot.round.title, "location": ballot.location,
        }  # fmt: skip
    if ballot.channel == Ballot.Channel.ASSISTED:
        return _("budget round %(title)s (with help, at %(location)s)") % {
            "title": ballot.round.title, "location": ballot.location,
        }  # fmt: skip
    return _("budget round %(title)s (online)") % {"title": ballot.round.title}


def tell_voters(*, round_id: int | None = None, batch: int = 500) -> int:
    """Write the messages of the waiting "you voted" notices (of round `round_id`, or all),
    oldest first, and mark each told by its voter's message on the site; returns how many.
    Inside the caller's transaction (a ballot's, or the outcome's). Notices another
    transaction holds are left to it (PostgreSQL: skip locked); a few queries per `batch`
    notices."""
    waiting = BallotNotice.objects.select_for_update(skip_locked=True, of=("self",))
    waiting = waiting.filter(told__isnull=True)
    if round_id is not None:
        waiting = waiting.filter(ballot__round_id=round_id)
    waiting = waiting.select_related("ballot__round", "ballot__location", "ballot__voter")
    told, after = 0, 0
    while notices := list(waiting.filter(pk__gt=after).order_by("id")[:batch]):
        made = notifications.emit_each(kind=Kind.BUDGET_BALLOT, events=[_event(n) for n in notices])
        messages = notifications.site_messages(made)
        for notice, event in zip(notices, made, strict=True):
            notice.told_id = messages.get(event.pk)
        BallotNotice.objects.bulk_update([n for n in notices if n.told_id], ["told"])
        told += len(notices)
        after = notices[-1].pk
    return told


def _event(notice: BallotNotice) -> tuple:
    """(subject, link, voter, details) of a notice's message: where and when, never a choice."""
    ballot = notice.ballot
    data = {
        "title": in_each_language(lambda: _where(ballot)),
        "moment": moment_in_each_language(notice.moment),
    }
    subject = f"budgeting.round:{ballot.round_id}:ballot"
    return subject, ballot.round.get_absolute_url(), ballot.voter, data
