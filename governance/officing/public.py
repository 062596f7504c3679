"""What a poll's page shows about its Community Homes: where one can vote; after the decision
the results per channel (online, paper) and per location; the officer's and the civil servant's
links. Never who voted, nor any choice before the decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from governance.models import Ballot, PollOffering, Proposal
from governance.models.officing import Location
from governance.officing.counts import LocationTotal, location_totals, locations_waiting
from governance.officing.stations import Station

LINKS = ("check_in", "count_paper", "record_no_votes")


@dataclass(frozen=True)
class LocationRow:
    location: Location
    count: LocationTotal | None
    without_votes: str
    links: dict


def _channels(proposal: Proposal, totals: list[LocationTotal]) -> dict:
    online = dict(
        Ballot.objects.filter(proposal=proposal)
        .values_list("choice")
        .annotate(n=models.Count("pk"))
    )
    paper = {
        choice: sum(getattr(t, choice) for t in totals)
        for choice in ("voor", "tegen", "onthouding")
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
