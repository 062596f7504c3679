"""Contracts and realisations: what each contract owes, has realised and paid, in a year."""

from django.db.models import Q, QuerySet

from sroi import disclosure
from sroi import ledger_selectors as ledger
from sroi.models import Contract, Realisation
from sroi.valuation import progress

from ..base import Period, _in_year, _iso, _money_sum, cents


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
    """Realisations verified in the year (or all), counted in groups as `sroi.disclosure` says:
    never a row per person, never a group under the threshold; the values add up to all that was
    verified. Two queries."""
    realisations = _in_year(
        Realisation.objects.filter(status=Realisation.Status.VERIFIED),
        period,
        "decided_at",
        moment=True,
    )
    return [
        {
            "contract_referentie": cell.contract,
            "jaar": cell.year,
            "bouwblok_code": cell.block_code,
            "bouwblok": cell.block,
            "soort_bouwblok": cell.block_kind,
            "doelgroep": cell.target_group,
            "personen": cell.persons,
            "realisaties": cell.realisations,
            "persoonsjaren": cell.person_years,
            "uren": cell.hours,
            "waarde": cents(cell.value),
            "overig": cell.folded,
        }
        for cell in disclosure.published_cells(realisations)
    ]
