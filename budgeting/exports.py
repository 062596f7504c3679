"""The ballots of a frozen round, without voters: Pabulib's `.pb` file and a CSV.

We write the `.pb` file ourselves (not with pabutools' writer) so that it is the same bytes on
every run: ballots sorted by their plan numbers (never in the order they were cast, which would
tie a ballot to whoever is known to have voted at that moment), numbered 1, 2, ...; plan
numbers ascending.
`pabutools.election.parse_pabulib` reads it back (tests/budgeting/test_outcome.py).
"""

import csv
import io

from .models import Plan, Round
from .services import round_election


def _clean(text: str) -> str:
    return " ".join(str(text).replace(";", ",").split())


def pabulib(round: Round) -> str:
    """The round as a Pabulib file: META, PROJECTS (number, cost, title, votes), VOTES."""
    budget, plans, ballots = round_election(round)
    titles = dict(
        Plan.objects.filter(round=round, number__isnull=False).values_list("number", "title")
    )
    votes = {plan.number: 0 for plan in plans}
    for ballot in ballots:
        for number in ballot:
            votes[number] += 1
    meta = [
        ("description", _clean(round.title)),
        ("country", "Netherlands"),
        ("unit", _clean(round.area)),
        ("instance", str(round.pk)),
        ("num_projects", str(len(plans))),
        ("num_votes", str(len(ballots))),
        ("budget", str(budget)),
        ("vote_type", "approval"),
        ("rule", "equalshares"),
        ("min_length", str(round.min_plans)),
        ("comment", "Ties go to the lower project_id (the tie-break order fixed at freezing)."),
    ]
    if round.min_vote_percent:
        # The Świecie rule: a plan chosen on fewer than this share of the ballots is not paid.
        meta.append(("min_vote_percent", str(round.min_vote_percent)))
    lines = ["META", "key;value", *(f"{key};{value}" for key, value in meta)]
    lines += ["PROJECTS", "project_id;cost;votes;name"]
    lines += [f"{p.number};{p.cost};{votes[p.number]};{_clean(titles[p.number])}" for p in plans]
    lines += ["VOTES", "voter_id;vote"]
    lines += [f"{i};{','.join(map(str, ballot))}" for i, ballot in enumerate(ballots, start=1)]
    return "\n".join(lines) + "\n"


def ballots_csv(round: Round) -> str:
    """One row per ballot: a running number and a 1 or 0 per plan (columns: plan numbers)."""
    _budget, plans, ballots = round_election(round)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ballot", *(f"plan_{p.number}" for p in plans)])
    for i, ballot in enumerate(ballots, start=1):
        chosen = set(ballot)
        writer.writerow([i, *(1 if p.number in chosen else 0 for p in plans)])
    return out.getvalue()
