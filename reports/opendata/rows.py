"""The builders of the plain datasets: one year (or all) in a fixed number of queries.

The big datasets (transactions) are read as values with an iterator and yielded row by row, so
a download holds one chunk of rows in memory, never the year.
"""

from collections.abc import Iterator
from datetime import date
from itertools import islice

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation

from governance import tally
from governance.models import Decision, Proposal
from initiatives.models import Classification
from initiatives.selectors import initiatives_for_list
from initiatives.tabular import PUBLIC_COLUMNS, export_row
from sroi import ledger_selectors as ledger
from sroi.models import Allocation, Contract, Fund, Realisation
from sroi.valuation import progress

from .base import Period, _in_year, _iso, _local_date, _money_sum, cents


def register_rows(period: Period) -> list[dict]:
    """The public register (registered in the year, or all); labels in Dutch. Three queries."""
    initiatives = _in_year(
        initiatives_for_list().order_by("name", "pk"), period, "created_at", moment=True
    )
    rows = []
    for initiative in initiatives:
        row = dict(zip(PUBLIC_COLUMNS, export_row(initiative, PUBLIC_COLUMNS), strict=True))
        row["geregistreerd_op"] = _local_date(initiative.created_at)
        rows.append(row)
    return rows


# Contracts with their obligation and how far it is fulfilled.


def _contracts(period: Period) -> QuerySet[Contract]:
    contracts = Contract.objects.select_related("contractor").order_by("reference", "pk")
    if period.year:
        contracts = contracts.filter(start_date__lte=period.last).filter(
            Q(end_date__gte=period.first) | Q(fulfilment_deadline__gte=period.first)
        )
    return contracts


def _contract_figures(contracts: QuerySet[Contract], period: Period) -> list[tuple]:
    """(contract, verified in kind, paid in cash, progress) as of the period's end; three queries."""
    as_of = period.as_of
    realisations = Realisation.objects.filter(
        contract__in=contracts, status=Realisation.Status.VERIFIED
    )
    if period.year:
        realisations = realisations.filter(decided_at__lt=period.bounds()[1])
    verified = dict(
        realisations.order_by()
        .values_list("contract")
        .annotate(total=_money_sum("value"))
        .values_list("contract", "total")
    )
    paid = ledger.cash_paid(contracts, until=as_of)
    figures = []
    for contract in contracts:
        in_kind = cents(verified.get(contract.pk))
        cash = cents(paid.get(contract.pk))
        state = progress(
            obligation=contract.obligation,
            verified_in_kind=in_kind,
            paid_in_cash=cash,
            start=contract.start_date,
            deadline=contract.fulfilment_deadline,
            today=as_of,
        )
        figures.append((contract, in_kind, cash, state))
    return figures


def contract_rows(period: Period) -> list[dict]:
    """Contracts running in the year (or all) with their obligation and fulfilment."""
    as_of = period.as_of.isoformat()
    return [
        {
            "referentie": contract.reference,
            "titel": contract.title,
            "afdeling": contract.department,
            "opdrachtnemer": contract.contractor.name,
            "kvk_nummer": contract.contractor.kvk_number,
            "opdrachtwaarde": cents(contract.value),
            "gunningsdatum": _iso(contract.award_date),
            "startdatum": _iso(contract.start_date),
            "einddatum": _iso(contract.end_date),
            "percentage": cents(contract.percentage),
            "drempel": cents(contract.threshold),
            "verplichting": cents(contract.obligation),
            "deadline": _iso(contract.fulfilment_deadline),
            "soort_verplichting": contract.obligation_kind,
            "status": contract.status,
            "geverifieerd_in_natura": in_kind,
            "betaald_in_geld": cash,
            "vervuld": cents(state.fulfilled),
            "resterend": cents(state.remaining),
            "peildatum": as_of,
            "achter_op_schema": state.is_behind,
            "over_deadline": state.is_overdue,
        }
        for contract, in_kind, cash, state in _contract_figures(_contracts(period), period)
    ]


def realisation_rows(period: Period) -> list[dict]:
    """Realisations verified in the year (or all), without any reference to the person."""
    realisations = _in_year(
        Realisation.objects.filter(status=Realisation.Status.VERIFIED)
        .select_related("contract", "block")
        .order_by("decided_at", "pk"),
        period,
        "decided_at",
        moment=True,
    )
    return [
        {
            "id": r.pk,
            "contract_referentie": r.contract.reference,
            "bouwblok_code": r.block.code,
            "bouwblok": r.block.name,
            "soort_bouwblok": r.block.kind,
            "doelgroep": r.target_group,
            "startdatum": _iso(r.start_date),
            "einddatum": _iso(r.end_date),
            "maanden": r.months,
            "uren_per_week": r.hours_per_week,
            "uren": r.quantity,
            "bonussen": cents(r.bonus_amount),
            "waarde": cents(r.value),
            "geverifieerd_op": _local_date(r.decided_at),
        }
        for r in realisations
    ]


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
    "reason",
)

# Rows fetched from the database at a time: memory stays flat whatever the year holds.
CHUNK = 2_000


def _transaction_row(values: tuple) -> dict:
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
    ) = values
    total, allocated = cents(total), cents(allocated)
    return {
        "id": pk,
        "datum": _iso(day),
        "fonds": fund,
        "soort": kind,
        "telt_als": reversed_kind or kind,
        "bedrag": total if total else allocated,
        "wijziging_fondstotaal": total,
        "wijziging_toegekend": allocated,
        "contract_referentie": contract,
        "initiatief_slug": initiative or allocation_initiative,
        "toekenning_id": allocation,
        "besluit_referentie": reference or allocation_reference or None,
        "correctie_van": reversal_of,
        "reden": reason or None,
    }


def stream_transaction_rows(
    period: Period, *, funds: list[int] | None = None, until: date | None = None
) -> Iterator[dict]:
    """Every transaction of every fund in the year (or all), with its effect, oldest first.

    One query, read as plain values in chunks (no model objects): the effects come from sroi's
    ledger selector as two annotations, so 20,000 rows stream in well under a second.
    """
    effects = ledger.transaction_effect_annotations()
    start, end = (period.first, period.last) if period.year else (None, None)
    if until is not None:
        end = until if end is None else min(end, until)
    transactions = ledger.transactions_between(start=start, end=end, funds=funds)
    values = (
        transactions.order_by("date", "pk").values_list(*_TRANSACTION_VALUES).annotate(**effects)
    )
    for row in values.iterator(chunk_size=CHUNK):
        yield _transaction_row(row)


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
    )
    for row in values.iterator(chunk_size=CHUNK):
        pk, fund, slug, name, amount, purpose, day, reference, status, open_, paid, returned = row
        yield {
            "id": pk,
            "fonds": fund,
            "initiatief_slug": slug,
            "initiatief": name,
            "bedrag": cents(amount),
            "doel": purpose,
            "datum": _iso(day),
            "besluit_referentie": reference,
            "status": status,
            "uitbetaald": cents(paid),
            "teruggestort": cents(returned),
            "open": cents(open_),
            "peildatum": as_of,
        }


def allocation_rows(period: Period) -> list[dict]:
    """The allocations of the year as a list (for callers that read them more than once)."""
    return list(stream_allocation_rows(period))


# The order of the values read per decision; `_decision_values_row` unpacks them by position.
_DECISION_VALUES = (
    "pk",
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
        decision.pk,
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
        pk,
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
        # As `Decision.reference`: the year of the decision, locally.
        "referentie": f"BK-{decided.year}-{pk:04d}",
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
