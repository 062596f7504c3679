"""What casting a vote reads: the proposal and what it knows about this voter, in one query."""

from dataclasses import dataclass
from functools import cache

from django.db import connection

from common import prepared
from common.rows import instances

from ..models import CheckIn, ElectorateEntry, Participation, PollKey, Proposal

# What the ballot page, the receipt, the rules and the voting service read of the proposal.
# bulletin_hides_choices: the receipt says whether the codes are published with their choice.
VOTE_FIELDS = (
    "id", "title", "method", "status", "opens_at", "closes_at", "bulletin_hides_choices"
)  # fmt: skip


@dataclass(frozen=True)
class VoterFacts:
    """One voter's place in one vote, read with the proposal. `side` is None off the roll.

    The roll is frozen when voting opens and participations and check-ins are never removed
    while it is open, so these stay true for the rest of the request; the services still
    check the voting window under their lock, and the database's unique constraints still
    decide a race."""

    user_id: int
    side: str | None
    checked_in: bool
    participated: bool


def _column(model, name: str) -> str:
    """`"table"."column"` of a model's field, quoted for the database."""
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(name).column)}"


@cache
def _vote_sql(vendor: str) -> str:
    """The statement of `proposal_for_vote`, written once per process.

    Written out rather than built by the ORM on every vote: compiling the queryset (three
    subqueries and a join) took longer than running it. Plain SQL that SQLite and PostgreSQL
    share; the parameters are the voter three times and the proposal's pk."""
    del vendor  # the cache key: the quoting is the database's
    quote = connection.ops.quote_name
    proposal = quote(Proposal._meta.db_table)
    pk = _column(Proposal, "id")

    def facts_of(model, user_field: str) -> str:
        table = quote(model._meta.db_table)
        return (
            f"FROM {table} WHERE {_column(model, 'proposal')} = {pk} "
            f"AND {_column(model, user_field)} = %s"
        )

    columns = [_column(Proposal, name) for name in VOTE_FIELDS] + [
        f"(SELECT {_column(ElectorateEntry, 'side')} {facts_of(ElectorateEntry, 'user')}) "
        "AS voter_side",
        f"EXISTS(SELECT 1 {facts_of(CheckIn, 'voter')}) AS voter_checked_in",
        f"EXISTS(SELECT 1 {facts_of(Participation, 'user')}) AS voter_participated",
        f"{_column(PollKey, 'public_key')} AS poll_public_key",
    ]
    key = f"{quote(PollKey._meta.db_table)} ON ({_column(PollKey, 'proposal')} = {pk})"
    # Names from the models' _meta; every value is a parameter.
    sql = f"SELECT {', '.join(columns)} FROM {proposal} LEFT OUTER JOIN {key} WHERE {pk} = %s"  # noqa: S608
    return prepared.register(sql)  # planned once per connection on PostgreSQL


def proposal_for_vote(pk: int, user) -> Proposal:
    """The ballot's proposal (`VOTE_FIELDS` only), its poll key and `voter_facts` for `user`:
    one query, of a statement written once (`_vote_sql`).

    The rules (`in_electorate`) and the voting service read `voter_facts` instead of asking
    the database again; they fall back to a query for another user or a plain proposal. The
    other fields of the proposal are deferred: reading one costs a query (the vote query
    tests count them)."""
    params = [user.pk, user.pk, user.pk, pk]
    rows = instances(Proposal, _vote_sql(connection.vendor), params)
    if not rows:
        raise Proposal.DoesNotExist(f"No proposal {pk}.")
    proposal = rows[0]
    public_key = proposal.poll_public_key
    # The reverse one-to-one's cache: None makes `proposal.poll_key` raise DoesNotExist.
    proposal._state.fields_cache["poll_key"] = (
        None
        if public_key is None
        else PollKey(proposal_id=proposal.pk, public_key=bytes(public_key))
    )
    proposal.voter_facts = VoterFacts(
        user_id=user.pk,
        side=proposal.voter_side,
        checked_in=bool(proposal.voter_checked_in),
        participated=bool(proposal.voter_participated),
    )
    return proposal


def voter_facts(proposal: Proposal, user) -> VoterFacts | None:
    """The facts loaded with `proposal` when they are about `user`, else None."""
    facts = getattr(proposal, "voter_facts", None)
    if facts is None or user is None or facts.user_id != user.pk:
        return None
    return facts
