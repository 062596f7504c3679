"""The catalogue of plain datasets, and the years each one has rows for."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Decision, Proposal
from initiatives.models import Initiative
from sroi import ledger_selectors as ledger
from sroi.models import Allocation, Contract, Realisation

from . import rows
from .base import Dataset
from .columns import (
    ALLOCATION_COLUMNS,
    CONTRACT_COLUMNS,
    DECISION_COLUMNS,
    FUND_COLUMNS,
    REALISATION_COLUMNS,
    REGISTER_COLUMNS,
    TRANSACTION_COLUMNS,
)

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            name="initiatieven",
            title=_("Register of citizen initiatives"),
            description=_(
                "The public register: every initiative with its public fields and "
                "classifications (labels in Dutch). Contact details are never published. "
                "With a year: the initiatives registered in that year."
            ),
            columns=REGISTER_COLUMNS,
            build=rows.register_rows,
            all_years_by_default=True,
        ),
        Dataset(
            name="contracten",
            title=_("Contracts and their social-return obligation"),
            description=_(
                "Public contracts with a social-return clause: the obligation and how much of it "
                "has been fulfilled in kind and in cash. With a year: the contracts running in "
                "that year, with the figures as on 31 December of that year."
            ),
            columns=CONTRACT_COLUMNS,
            build=rows.contract_rows,
        ),
        Dataset(
            name="realisaties",
            title=_("Social return delivered in kind"),
            description=_(
                "Verified realisations: placements, hours and purchases that count towards a "
                "contract's obligation, counted per contract, year, building block and target "
                "group; never one person. A group of fewer persons than the threshold "
                "(OPEN_DATA_MIN_COUNT, by default 5) is not shown: it is added up in one row "
                "'overig' per contract and year, with more groups if needed so that it too holds "
                "at least that many persons, or all of them. "
                "No dates, hours per week or bonuses of a placement. The values add up to all "
                "that was verified. With a year: the realisations verified in that year."
            ),
            columns=REALISATION_COLUMNS,
            build=rows.realisation_rows,
        ),
        Dataset(
            name="transacties",
            title=_("Community fund transactions"),
            description=_(
                "Every money flow of the community funds, one row per transaction: money in, "
                "money out, and movements inside a fund. Corrections are new rows that undo an "
                "earlier one; nothing is ever changed or deleted. With a year: the transactions "
                "dated in that year."
            ),
            columns=TRANSACTION_COLUMNS,
            build=rows.stream_transaction_rows,
        ),
        Dataset(
            name="fondsen",
            title=_("Community funds per year"),
            description=_(
                "Per fund and year: the balance on 1 January, the money that came in per "
                "source, the money paid out and the balance at the end. Begin + in − out = end, "
                "to the cent. The same figures as the fund pages and the annual report. For a "
                "year that has not ended, the amounts run up to today."
            ),
            columns=FUND_COLUMNS,
            build=rows.fund_rows,
        ),
        Dataset(
            name="toekenningen",
            title=_("Allocations from the community funds"),
            description=_(
                "Money granted to initiatives by a community decision, and how much of it has "
                "been paid out, returned or is still open. With a year: the allocations made in "
                "that year, with the amounts as on 31 December of that year."
            ),
            columns=ALLOCATION_COLUMNS,
            build=rows.stream_allocation_rows,
        ),
        Dataset(
            name="besluiten",
            title=_("Decisions and their tallies"),
            description=_(
                "Decisions of the deciding bodies and of community-wide polls, with the tally "
                "as numbers. Who voted what is never published. With a year: the decisions "
                "taken in that year."
            ),
            columns=DECISION_COLUMNS,
            build=rows.stream_decision_rows,
        ),
    )
}


# --- Years available ---------------------------------------------------------------------------


def years_available() -> dict[str, list[int]]:
    """Per dataset the years that have rows, newest first; six queries."""
    this_year = timezone.localdate().year

    def years(values: Iterable) -> list[int]:
        return sorted({value.year for value in values}, reverse=True)

    transaction_years = years(ledger.transaction_years())
    # A fund has a row for every year from its first transaction on: balances carry over.
    fund_years = list(range(this_year, min(transaction_years) - 1, -1)) if transaction_years else []
    contract_span = Contract.objects.order_by().values_list("start_date", "fulfilment_deadline")
    contract_years: set[int] = set()
    for start, deadline in contract_span.distinct():
        contract_years.update(range(start.year, min(deadline.year, this_year) + 1))
    return {
        "initiatieven": years(Initiative.objects.datetimes("created_at", "year")),
        "contracten": sorted(contract_years, reverse=True),
        "realisaties": years(
            Realisation.objects.filter(status=Realisation.Status.VERIFIED).datetimes(
                "decided_at", "year"
            )
        ),
        "transacties": transaction_years,
        "fondsen": fund_years,
        "toekenningen": years(Allocation.objects.dates("date", "year")),
        "besluiten": years(
            Decision.objects.filter(proposal__status__in=Proposal.PUBLIC).datetimes(
                "decided_at", "year"
            )
        ),
    }
