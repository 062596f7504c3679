"""Recounting a published bulletin: a pure function of its data (no ORM), so anyone with the
JSON download gets the same result as the decision (`manage.py recount`, the recount page)."""

from __future__ import annotations

from dataclasses import dataclass

from . import tally


@dataclass(frozen=True)
class Recount:
    result: tally.TallyResult | None  # None when the choices are not published
    codes: int
    participations: int
    matches_decision: bool | None  # None when there is nothing to compare
    paper_check_ins: int = 0  # residents who voted on paper at a Community Home (no code)

    @property
    def codes_match_participations(self) -> bool:
        return self.codes + self.paper_check_ins == self.participations


def recount(data: dict) -> Recount:
    """Count the bulletin's ballots with its rule and compare with its decision."""
    ballots = data["ballots"]
    choices = None
    if data.get("choices_published", True) and data.get("rule"):
        choices = tally.Counts.of(ballot["choice"] for ballot in ballots)
    return recount_totals(data, codes=len({ballot["code"] for ballot in ballots}), choices=choices)


def recount_totals(data: dict, *, codes: int, choices: tally.Counts | None) -> Recount:
    """The same recount from the numbers of the ballots (distinct codes, counts per choice)
    instead of the list: the bulletin's page counts them in the database and shows a page."""
    result = None
    # Paper ballots of the Community Homes have no codes: their confirmed counts are listed.
    paper = data.get("paper") or []
    paper_counts = tally.Counts(
        sum(row["voor"] for row in paper),
        sum(row["tegen"] for row in paper),
        sum(row["onthouding"] for row in paper),
    )
    if data.get("choices_published", True) and data.get("rule"):
        result = tally.tally_counts(
            community=choices + paper_counts,
            institution=tally.Counts(),
            electorate=data["roll_size"],
            rule=tally.Rule(**data["rule"]),
        )
    decision = data.get("decision")
    matches = None
    if result is not None and decision is not None:
        matches = result.as_dict() == tally.TallyResult.from_dict(decision).as_dict()
    return Recount(
        result, codes, data["participations"], matches, sum(row["check_ins"] for row in paper)
    )
