"""Contracts and realisations: what each contract owes, has realised and paid, in a year."""

from django.db.models import Q, QuerySet

from sroi import ledger_selectors as ledger
from sroi.models import Contract, Realisation
from sroi.valuation import progress

from ..base import Period, _in_year, _iso, _local_date, _money_sum, cents


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
