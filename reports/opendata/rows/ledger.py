"""The fund's money: transactions and allocations streamed as values (a chunk in memory, never
the year), and each fund's year."""

from collections.abc import Iterator
from datetime import date

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone, translation

from initiatives.models import Classification
from sroi import ledger_selectors as ledger
from sroi.models import Allocation, CorrectionReason, Fund, allocation_state, public_reason

from ..base import Period, _in_year, _iso, cents

# The order of the values read per transaction; `_transaction_row` unpacks them by position.
_TRANSACTION_VALUES = (
    "pk",
    "date",
    "fund__slug",
    "kind",
    "reversal_of__kind",
    "contract__reference",
    "initiative__slug",
    "allocation__initiative__slug",
    "allocation_id",
    "decision_reference",
    "allocation__decision_reference",
    "reversal_of_id",
    # The kind of reason only: the civil servant's own words stay internal (review R5).
    "reason_category",
)


# Rows fetched from the database at a time: memory stays flat whatever the year holds.
CHUNK = 2_000


# The figure of the annual report (and the column of `fondsen`) a transaction counts in, by the
# field of sroi's `Flows` (`ledger.flow_field`); a move inside the fund counts in none.
CATEGORIES = {
    "from_contracts": "van_contracten",
    "from_municipality": "van_gemeente",
    "other_income": "overige_inkomsten",
    "returned": "teruggestort",
    "paid_out": "uitbetaald",
    None: "binnen_fonds",
}


def category(counterparty: str | None, counts_as: str) -> str:
    """The `categorie` of a transaction row: the report's own figure it counts in."""
    return CATEGORIES[ledger.flow_field(counterparty, counts_as)]


def published_reasons() -> dict[str, str]:
    """Per kind of reason ("" for none chosen), the Dutch label that open data publishes for a
    reversal: open data speaks one language, whatever the reader's."""
    with translation.override("nl"):
        return {code: public_reason(code) for code in ["", *CorrectionReason.values]}


def _transaction_row(values: tuple, reasons: dict[str, str]) -> dict:
    (
        pk,
        day,
        fund,
        kind,
        reversed_kind,
        contract,
        initiative,
        allocation_initiative,
        allocation,
        reference,
        allocation_reference,
        reversal_of,
        reason,
        total,
        allocated,
        counterparty,
    ) = values
    total, allocated = cents(total), cents(allocated)
    counts_as = reversed_kind or kind
    return {
        "id": pk,
        "datum": _iso(day),
        "fonds": fund,
        "soort": kind,
        "telt_als": counts_as,
        "categorie": category(counterparty, counts_as),
        "bedrag": total if total else allocated,
        "wijziging_fondstotaal": total,
        "wijziging_toegekend": allocated,
        "contract_referentie": contract,
        "initiatief_slug": initiative or allocation_initiative,
        "toekenning_id": allocation,
        "besluit_referentie": reference or allocation_reference or None,
        "correctie_van": reversal_of,
        "reden": reasons.get(reason, reasons[""]) if reversal_of else None,
    }


def stream_transaction_rows(
    period: Period, *, funds: list[int] | None = None, until: date | None = None
) -> Iterator[dict]:
    """Every transaction of every fund in the year (or all), with its effect, oldest first.

    One query, read as plain values in chunks (no model objects): the effects and the account
    outside the fund (which says the row's `categorie`) come from sroi's ledger selectors as
    annotations, so 20,000 rows stream in well under a second.
    """
    effects = {
        **ledger.transaction_effect_annotations(),
        "counterparty": ledger.counterparty_annotation(),
    }
    start, end = (period.first, period.last) if period.year else (None, None)
    if until is not None:
        end = until if end is None else min(end, until)
    transactions = ledger.transactions_between(start=start, end=end, funds=funds)
    values = (
        transactions.order_by("date", "pk").values_list(*_TRANSACTION_VALUES).annotate(**effects)
    )
    reasons = published_reasons()
    for row in values.iterator(chunk_size=CHUNK):
        yield _transaction_row(row, reasons)


def transaction_rows(period: Period) -> list[dict]:
    """The transactions of the year as a list (for callers that read them more than once)."""
    return list(stream_transaction_rows(period))


def fund_rows(period: Period) -> list[dict]:
    """Per fund and year (the year asked, or every year with money): its flows; a fixed number
    of queries per year."""
    funds = {fund.pk: fund for fund in Fund.objects.order_by("name")}
    today = timezone.localdate()
    if period.year:
        years = [period.year]
    else:
        first = ledger.first_transaction_date()
        years = list(range(first.year, today.year + 1)) if first else []
    rows = []
    for year in years:
        per_fund = ledger.flows_per_fund(year=year, until=today)
        for pk, fund in funds.items():
            flows = per_fund.get(pk)
            if flows is None:
                continue
            rows.append(
                {
                    "fonds": fund.slug,
                    "fondsnaam": fund.name,
                    "jaar": year,
                    "begin": cents(flows.opening),
                    "van_contracten": cents(flows.from_contracts),
                    "van_gemeente": cents(flows.from_municipality),
                    "overige_inkomsten": cents(flows.other_income),
                    "teruggestort": cents(flows.returned),
                    "totaal_in": cents(flows.total_in),
                    "uitbetaald": cents(flows.paid_out),
                    "totaal_uit": cents(flows.total_out),
                    "eind": cents(flows.closing),
                    "peildatum": _iso(flows.last),
                    "tussenstand": flows.interim,
                }
            )
    return rows


def _allocations(period: Period) -> list[Allocation]:
    """Allocations of the year (or all) with `.paid`, `.returned` and `.open` as of the period's
    end, their initiative's area and leefgebieden and their decision's leefgebieden; five queries.
    """
    leefgebieden = Classification.objects.filter(scheme=Classification.Scheme.LEEFGEBIED).order_by(
        "position"
    )
    allocations = _in_year(
        Allocation.objects.select_related(
            "fund", "initiative__area", "governance_decision__proposal"
        )
        .prefetch_related(
            Prefetch("initiative__classifications", queryset=leefgebieden),
            Prefetch("governance_decision__proposal__leefgebieden", queryset=leefgebieden),
        )
        .order_by("date", "pk"),
        period,
        "date",
    )
    figures = ledger.allocation_figures(allocations, until=period.as_of)
    allocations = list(allocations)
    for allocation in allocations:
        found = figures.get(allocation.pk, ledger.AllocationFigures())
        allocation.paid = cents(found.paid)
        allocation.returned = cents(found.returned)
        allocation.open = cents(found.open)
    return allocations


_ALLOCATION_VALUES = (
    "pk",
    "fund__slug",
    "initiative__slug",
    "initiative__name",
    "amount",
    "purpose",
    "date",
    "decision_reference",
    "status",
)


def stream_allocation_rows(period: Period, *, funds: list[int] | None = None) -> Iterator[dict]:
    """Allocations made in the year (or all): granted, paid, returned and open, oldest first.

    One query: the allocations as plain values in chunks (no model objects), each with its
    figures from sroi's ledger selector as annotations, so memory stays flat however many.
    """
    as_of = period.as_of.isoformat()
    allocations = _in_year(Allocation.objects.all(), period, "date")
    if funds is not None:
        allocations = allocations.filter(fund__in=funds)
    values = (
        allocations.order_by("date", "pk")
        .values_list(*_ALLOCATION_VALUES)
        .annotate(**ledger.allocation_figure_annotations(until=period.as_of))
        .annotate(settled_at=_settled_at())
    )
    zone = timezone.get_current_timezone()
    for row in values.iterator(chunk_size=CHUNK):
        (pk, fund, slug, name, amount, purpose, day, reference, status,
         open_, paid, returned, settled_at) = row  # fmt: skip
        settled_on = settled_at.astimezone(zone).date() if settled_at else None
        yield {
            "id": pk,
            "fonds": fund,
            "initiatief_slug": slug,
            "initiatief": name,
            "bedrag": cents(amount),
            "doel": purpose,
            "datum": _iso(day),
            "besluit_referentie": reference,
            # `paid_in_full` for an open allocation with nothing left to pay on the day.
            "status": allocation_state(
                status, open_, as_of=period.as_of, settled_on=settled_on
            ).value,
            "uitbetaald": cents(paid),
            "teruggestort": cents(returned),
            "open": cents(open_),
            "peildatum": as_of,
        }


def _settled_at() -> Subquery:
    """When the allocation was first closed or cancelled: its first history row that says so
    (history is append-only); None while it is open."""
    history = Allocation.history.model.objects.filter(
        id=OuterRef("pk"),
        status__in=[Allocation.Status.CLOSED, Allocation.Status.CANCELLED],
    )
    return Subquery(history.order_by("history_date").values("history_date")[:1])


def allocation_rows(period: Period) -> list[dict]:
    """The allocations of the year as a list (for callers that read them more than once)."""
    return list(stream_allocation_rows(period))
