"""What a poll's page shows about its Community Homes: where one can vote; after the decision
the results per channel (online, paper) and per location; the officer's and the civil servant's
links. Never who voted, nor any choice before the decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from governance import tally
from governance.models import Ballot, PollOffering, Proposal
from governance.models.officing import Location
from governance.officing.stations import Station
from governance.selectors.paper import LocationTotal, location_totals, locations_waiting

LINKS = ("check_in", "count_paper", "record_no_votes")


@dataclass(frozen=True)
class LocationRow:
    location: Location
    count: LocationTotal | None
    without_votes: str
    links: dict


def _channels(proposal: Proposal, totals: list[LocationTotal]) -> dict:
    by_choice = dict(
        Ballot.objects.filter(proposal=proposal)
        .values_list("choice")
        .annotate(n=models.Count("pk"))
    )
    # Keyed like `tally.Counts` and the paper counts' fields, so the template reads both alike.
    online = {
        "voor": by_choice.get(tally.FOR, 0),
        "tegen": by_choice.get(tally.AGAINST, 0),
        "onthouding": by_choice.get(tally.ABSTAIN, 0),
    }
    paper = {
        field: sum(getattr(t, field) for t in totals) for field in ("voor", "tegen", "onthouding")
    }
    return {"online": online, "paper": paper}


def public_view(proposal: Proposal, user) -> dict | None:
    """The Community Homes part of a poll's page (None: the poll is offered nowhere). The
    number of queries does not grow with the number of locations: the offerings are loaded
    once and the user's shifts once (`stations.shifts_of`)."""
    offerings = list(
        PollOffering.objects.filter(proposal=proposal)
        .select_related("location", "without_votes")
        .order_by("location__name")
    )
    if not offerings:
        return None
    decided = proposal.is_decided
    totals = location_totals(proposal) if decided else []
    by_location = {total.location.pk: total for total in totals}
    rows = []
    for offering in offerings:
        station = Station(proposal=proposal, location=offering.location, offered=True)
        without = getattr(offering, "without_votes", None)
        rows.append(
            LocationRow(
                location=offering.location,
                count=by_location.get(offering.location_id),
                without_votes=without.reason if without is not None else "",
                links={name: user.has_perm(f"governance.{name}", station) for name in LINKS},
            )
        )
    counting = proposal.status == Proposal.Status.COUNTING
    return {
        "rows": rows,
        "channels": _channels(proposal, totals) if decided else None,
        "waiting": locations_waiting(proposal) if counting else [],
    }
