"""Adopted decisions for the benchmarks' allocations, in bulk.

Money leaves a fund only as the execution of an adopted decision, and on PostgreSQL a trigger
checks at commit that every allocation's decision is adopted, carried out and points back at it,
and another that every decision is what its stored votes give (governance migration 0020). The
benchmarks write allocations in bulk, so they make their decisions in bulk too: each a poll of
three voters who all voted for (`unanimous_polls`).
"""

import dataclasses
import datetime
from decimal import Decimal

DAY = datetime.timedelta(days=1)


VOTERS = 3


def unanimous_polls(proposals: list, *, status: str) -> None:
    """Put each of `proposals` (polls in discussion, saved) to the vote as the services would,
    in bulk: a roll of the same VOTERS voters, the default rule frozen, a counted ballot "for"
    from each, and then `status` (adopted, or carried out). The order is the database's: the
    roll before voting opens, ballots while the poll is counted (governance migration 0021)."""
    from django.contrib.auth import get_user_model

    from governance import tally
    from governance.models import Ballot, ElectorateEntry, Proposal, Side

    voters = [
        get_user_model().objects.get_or_create(username=f"unaniem-kiezer-{i}")[0]
        for i in range(VOTERS)
    ]
    ElectorateEntry.objects.bulk_create(
        (
            ElectorateEntry(proposal=proposal, user=voter, side=Side.COMMUNITY)
            for proposal in proposals
            for voter in voters
        ),
        batch_size=2_000,
    )
    these = Proposal.objects.filter(pk__in=[proposal.pk for proposal in proposals])
    these.update(status=Proposal.Status.COUNTING, rule_snapshot=dataclasses.asdict(tally.Rule()))
    Ballot.objects.bulk_create(
        (Ballot(proposal=proposal, choice=tally.FOR) for proposal in proposals for _ in voters),
        batch_size=2_000,
    )
    these.update(status=status)
    for proposal in proposals:
        proposal.status, proposal.rule_snapshot = status, dataclasses.asdict(tally.Rule())


def adopted_decisions(plans: list[dict]) -> list:
    """One adopted, not yet carried out decision per allocation plan (fund, initiative, amount,
    purpose, date): set `decision_id` on the allocations, then call `mark_carried_out`."""
    from django.utils import timezone

    from governance import tally
    from governance.models import Decision, Proposal

    zone = timezone.get_current_timezone()
    rule = tally.Rule()
    result = tally.tally_counts(
        community=tally.Counts(voor=VOTERS),
        institution=tally.Counts(),
        electorate=VOTERS,
        rule=rule,
    ).as_dict()
    moments = [datetime.datetime.combine(p["date"], datetime.time(9), tzinfo=zone) for p in plans]
    proposals = Proposal.objects.bulk_create(
        (
            Proposal(
                title=f"Toekenning {index + 1}",
                text="Benchmark.",
                kind=Proposal.Kind.FUND_ALLOCATION,
                method=Proposal.Method.POLL,
                status=Proposal.Status.DISCUSSION,
                fund=plan["fund"],
                initiative=plan["initiative"],
                amount=plan["amount"] if plan["amount"] > 0 else Decimal("0.01"),
                purpose=plan.get("purpose", ""),
                opens_at=moment - 14 * DAY,
                closes_at=moment,
            )
            for index, (plan, moment) in enumerate(zip(plans, moments, strict=True))
        ),
        batch_size=2_000,
    )
    unanimous_polls(proposals, status=Proposal.Status.EXECUTED)
    # bulk_create skips `Decision.save`: the year (local) and its numbers are given here, as
    # PostgreSQL's trigger gives them too (the next of the year, in the order of the rows).
    numbers: dict[int, int] = {}

    def numbered(proposal, moment):
        year = timezone.localtime(moment).year
        numbers[year] = numbers.get(year, 0) + 1
        return Decision(
            proposal=proposal, outcome=tally.ADOPTED, tally=result, decided_at=moment,
            year=year, number=numbers[year],
        )  # fmt: skip

    return Decision.objects.bulk_create(
        (numbered(p, m) for p, m in zip(proposals, moments, strict=True)), batch_size=2_000
    )


def mark_carried_out(decisions: list, allocations: list, actor=None) -> None:
    """Link each decision to its allocation, carried out on the allocation's day."""
    from django.utils import timezone

    from governance.models import Decision

    zone = timezone.get_current_timezone()
    for decision, allocation in zip(decisions, allocations, strict=True):
        decision.allocation = allocation
        decision.executed_at = datetime.datetime.combine(
            allocation.date, datetime.time(10), tzinfo=zone
        )
        decision.executed_by = actor
    Decision.objects.bulk_update(
        decisions, ["allocation", "executed_at", "executed_by"], batch_size=2_000
    )
