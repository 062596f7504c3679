"""Decisions: each public decision with its tally, streamed as values in pieces."""

from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet
from django.utils import timezone, translation

from governance import tally
from governance.models import Decision, Proposal

from ..base import Period, _in_year
from .ledger import CHUNK

# The order of the values read per decision; `_decision_values_row` unpacks them by position.
_DECISION_VALUES = (
    "year",
    "number",
    "decided_at",
    "outcome",
    "tally",
    "executed_at",
    "allocation_id",
    "proposal__title",
    "proposal__text",
    "proposal__kind",
    "proposal__method",
    "proposal__body__name",
)


# Rows made under one switch of language: the switch is not free, and a piece is never held
# across a yield (the server writes between pieces in this thread).
DECISIONS_PER_PIECE = 500


def stream_decision_rows(period: Period) -> Iterator[dict]:
    """Decisions taken in the year (or all) with their tallies as numbers; one query, read as
    plain values in chunks (no model objects) so memory stays flat."""
    decisions = _in_year(public_decisions(), period, "decided_at", moment=True)
    values = decisions.values_list(*_DECISION_VALUES).iterator(chunk_size=CHUNK)
    while piece := list(islice(values, DECISIONS_PER_PIECE)):
        with translation.override("nl"):
            zone = timezone.get_current_timezone()
            explained: dict[tally.TallyResult, str] = {}
            rows = [_decision_values_row(row, zone, explained) for row in piece]
        yield from rows


def decision_rows(period: Period) -> list[dict]:
    """The decisions of the year as a list."""
    return list(stream_decision_rows(period))


def public_decisions() -> QuerySet[Decision]:
    """Decisions of proposals the public may see, oldest first, with their body (one query)."""
    return (
        Decision.objects.filter(proposal__status__in=Proposal.PUBLIC)
        .select_related("proposal__body")
        .order_by("decided_at", "pk")
    )


def decision_row(decision: Decision) -> dict:
    """One decision as open data: the tally as numbers and the outcome in words (active language)."""
    proposal = decision.proposal
    values = (
        decision.year,
        decision.number,
        decision.decided_at,
        decision.outcome,
        decision.tally,
        decision.executed_at,
        decision.allocation_id,
        proposal.title,
        proposal.text,
        proposal.kind,
        proposal.method,
        proposal.body.name if proposal.body_id else None,
    )
    return _decision_values_row(values, timezone.get_current_timezone(), {})


def _decision_values_row(values: tuple, zone, explained: dict) -> dict:
    """The row of `decision_row` from the values of `_DECISION_VALUES`; moments in `zone`, the
    words of a tally met before taken from `explained`."""
    (
        year,
        number,
        decided_at,
        outcome,
        tallied,
        executed_at,
        allocation,
        title,
        text,
        kind,
        method,
        body,
    ) = values
    result = tally.TallyResult.from_dict(tallied)
    words = explained.get(result)
    if words is None:
        words = explained[result] = str(tally.explain(result))
    decided = decided_at.astimezone(zone)
    return {
        "referentie": Decision.reference_of(year=year, number=number),
        "titel": title,
        "tekst": text,
        "soort": kind,
        "methode": method,
        "orgaan": body,
        "uitkomst": outcome,
        "besloten_op": decided.date().isoformat(),
        "voor": result.voor,
        "tegen": result.tegen,
        "onthouding": result.onthouding,
        "opkomst": result.turnout,
        "kiesgerechtigden": result.electorate,
        "quorum": result.quorum,
        "quorum_nodig": result.quorum_needed,
        "meerderheid_procent": result.majority_percent,
        "meerderheid_nodig": result.majority_needed,
        "gemeenschapsgarantie": result.community_guarantee,
        "gemeenschap_voor": result.community_voor,
        "gemeenschap_tegen": result.community_tegen,
        "gemeenschap_onthouding": result.community_onthouding,
        "gemeenschap_nodig": result.community_needed,
        "uitgevoerd_op": executed_at.astimezone(zone).date().isoformat() if executed_at else None,
        "toekenning_id": allocation,
        "uitleg": words,
    }
