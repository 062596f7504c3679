"""Reads of a counted poll: the trustees' key progress, the public bulletin, paper counts."""

from dataclasses import dataclass

from django.db.models import (
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from common.paging import count_subquery

from .. import tally
from ..models import (
    Ballot,
    PaperCount,
    Participation,
    PollKey,
    PollOffering,
    Proposal,
    TrusteeShare,
)
from .bodies import electorate_size
from .paper import location_totals


def key_progress(proposal: Proposal) -> tuple[int, int, int]:
    """(keys entered, keys needed, trustees) of a sealed poll."""
    key = PollKey.objects.get(proposal=proposal)
    entered = TrusteeShare.objects.filter(proposal=proposal, submitted_box__isnull=False).count()
    return entered, key.threshold, key.trustee_count


def proposal_for_bulletin(pk: int) -> Proposal:
    """One proposal with what its bulletin shows beside the ballots: its decision (the page
    shows no areas, attachments or comments)."""
    return Proposal.objects.select_related("decision").get(pk=pk)


def bulletin(proposal: Proposal) -> dict:
    """The public bulletin of a counted poll: every tracking code (sorted) with its choice
    (unless the poll hides them), the participation count, the roll's size and SHA-256, the
    rule and the decision's numbers. Plain data, the same in the CSV, JSON and recount."""
    rows = Ballot.objects.filter(proposal=proposal).order_by("tracking_code", "choice")
    hide = proposal.bulletin_hides_choices
    ballots = [
        {"code": code, "choice": None if hide else choice}
        for code, choice in rows.values_list("tracking_code", "choice")
    ]
    return _bulletin(proposal, ballots)


def bulletin_summary(proposal: Proposal) -> dict:
    """The bulletin without its ballots, for the page: it shows a page of them
    (`bulletin_ballots`) and the recount of all of them from `ballot_totals`."""
    return _bulletin(proposal, None)


def _bulletin(proposal: Proposal, ballots: list[dict] | None) -> dict:
    key = PollKey.objects.filter(proposal=proposal).first()
    decision = getattr(proposal, "decision", None)
    paper = paper_bulletin(proposal)
    return {
        "proposal": proposal.pk,
        "title": proposal.title,
        "choices_published": not proposal.bulletin_hides_choices,
        **({"ballots": ballots} if ballots is not None else {}),
        "participations": Participation.objects.filter(proposal=proposal).count(),
        "roll_size": key.roll_size if key else electorate_size(proposal),
        "roll_sha256": key.roll_sha256 if key else "",
        "key_sha256": key.sha256 if key else "",
        "rule": proposal.rule_snapshot,
        "decision": decision.tally if decision else None,
        **({"paper": paper} if paper is not None else {}),
    }


@dataclass(frozen=True)
class BallotTotals:
    """What the recount needs of a poll's ballots, counted by the database: the rows, the
    distinct tracking codes and the choices (None when the poll hides them)."""

    rows: int
    codes: int
    choices: tally.Counts | None


def ballot_totals(proposal: Proposal) -> BallotTotals:
    """Count the ballots of a counted poll in one query, as `bulletin.recount` counts the list
    (a choice that is not for, against or abstain is refused the same way)."""
    found = Ballot.objects.filter(proposal=proposal).aggregate(
        rows=Count("pk"),
        codes=Count("tracking_code", distinct=True),
        **{choice: Count("pk", filter=Q(choice=choice)) for choice in tally.CHOICES},
    )
    choices = None
    if not proposal.bulletin_hides_choices:
        choices = tally.Counts(found[tally.FOR], found[tally.AGAINST], found[tally.ABSTAIN])
        if choices.total != found["rows"]:
            raise ValueError(f"a ballot of poll {proposal.pk} has an unknown choice")
    return BallotTotals(found["rows"], found["codes"], choices)


def paper_bulletin(proposal: Proposal) -> list[dict] | None:
    """The confirmed paper counts per location (the sum of its ballot boxes), for the bulletin
    (None: no Community Homes)."""
    if not PollOffering.objects.filter(proposal=proposal).exists():
        return None
    names = ("check_ins", "envelopes", "voor", "tegen", "onthouding", "blank", "invalid")
    return [
        {"location": total.location.name, **{name: getattr(total, name) for name in names}}
        for total in location_totals(proposal)
    ]


def paper_totals(proposal: Proposal) -> dict:
    """The confirmed paper counts of a poll, summed: per choice, blank, invalid, locations."""
    totals = PaperCount.objects.filter(
        proposal=proposal, corrected_by__isnull=True, seal__isnull=False
    ).aggregate(
        voor=Sum("voor"),
        tegen=Sum("tegen"),
        onthouding=Sum("onthouding"),
        blank=Sum("blank"),
        invalid=Sum("invalid"),
        locations=Count("location", distinct=True),
    )
    choices = {
        tally.FOR: totals["voor"] or 0,
        tally.AGAINST: totals["tegen"] or 0,
        tally.ABSTAIN: totals["onthouding"] or 0,
    }
    return {
        "paper_choices": choices,
        "paper": sum(choices.values()),
        "paper_blank": totals["blank"] or 0,
        "paper_invalid": totals["invalid"] or 0,
        "paper_locations": totals["locations"],
    }


def _count_of(model, **filters) -> Coalesce:
    """A subquery counting `model` rows of each proposal (no join that multiplies rows)."""
    return count_subquery(model.objects.filter(proposal=OuterRef("pk"), **filters))


def published_bulletins() -> QuerySet[Proposal]:
    """The sealed polls with a public bulletin (counted: decided and sealed with a key), newest
    decision first, with their decision and key and the numbers of ballots and participations
    (one query for any number of polls)."""
    return (
        Proposal.objects.filter(
            method=Proposal.Method.POLL,
            status__in=Proposal.DECIDED,
            poll_key__isnull=False,
            decision__isnull=False,
        )
        .select_related("decision", "poll_key")
        .annotate(ballot_count=_count_of(Ballot), participation_count=_count_of(Participation))
        .order_by("-decision__decided_at", "-pk")
    )


def participation_by_channel(proposal_ids) -> dict[int, dict[str, int]]:
    """{proposal id: {channel: participations}} of the given polls, in one query."""
    rows = Participation.objects.filter(proposal_id__in=list(proposal_ids)).order_by()
    by_poll: dict[int, dict[str, int]] = {}
    counted = rows.values("proposal_id", "channel").annotate(n=Count("pk")).order_by("channel")
    for row in counted:
        by_poll.setdefault(row["proposal_id"], {})[row["channel"]] = row["n"]
    return by_poll


def bulletin_ballots(proposal: Proposal) -> QuerySet:
    """The (code, choice) rows of a counted poll's bulletin, sorted as published; the choice is
    None when the poll hides the choices. One query, pageable."""
    rows = Ballot.objects.filter(proposal=proposal).order_by("tracking_code", "choice")
    if proposal.bulletin_hides_choices:
        rows = rows.annotate(shown=Value(None, output_field=CharField()))
    else:
        rows = rows.annotate(shown=F("choice"))
    return rows.values("tracking_code", "shown")
