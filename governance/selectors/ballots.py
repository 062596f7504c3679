"""What casting a vote reads: the proposal and what it knows about this voter, in one query."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery

from ..models import CheckIn, ElectorateEntry, Participation, Proposal


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


def proposal_for_vote(pk: int, user) -> Proposal:
    """The ballot's proposal with its poll key and `voter_facts` for `user`: one query.

    The rules (`in_electorate`) and the voting service read `voter_facts` instead of asking
    the database again; they fall back to a query for another user or a plain proposal."""
    proposal = (
        Proposal.objects.select_related("body", "decision", "decision_rule", "poll_key")
        .annotate(
            voter_side=Subquery(
                ElectorateEntry.objects.filter(proposal=OuterRef("pk"), user=user.pk).values(
                    "side"
                )[:1]
            ),
            voter_checked_in=Exists(CheckIn.objects.filter(proposal=OuterRef("pk"), voter=user.pk)),
            voter_participated=Exists(
                Participation.objects.filter(proposal=OuterRef("pk"), user=user.pk)
            ),
        )
        .get(pk=pk)
    )
    proposal.voter_facts = VoterFacts(
        user_id=user.pk,
        side=proposal.voter_side,
        checked_in=proposal.voter_checked_in,
        participated=proposal.voter_participated,
    )
    return proposal


def voter_facts(proposal: Proposal, user) -> VoterFacts | None:
    """The facts loaded with `proposal` when they are about `user`, else None."""
    facts = getattr(proposal, "voter_facts", None)
    if facts is None or user is None or facts.user_id != user.pk:
        return None
    return facts
