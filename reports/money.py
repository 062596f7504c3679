"""The money sections of the annual report: funds, contracts, decisions, where the money went.

Every transaction of a fund in the year becomes exactly one line: money in (contributions, other
income, returns, and corrections of those), money out (tranches paid to initiatives, and their
corrections), or a movement inside the fund (allocations and releases, which change what is
available but not the fund's total). The fund's total is its available plus its allocated money,
so opening + in − out = closing must hold to the cent; if it does not, the report is not made.
"""

from collections import defaultdict
from datetime import date, datetime, time
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from governance import selectors as governance_selectors
from governance.models import Decision
from governance.tally import TallyResult
from initiatives.models import Classification
from sroi import disclosure
from sroi import ledger_selectors as ledger
from sroi.models import Contract, Fund, Realisation, Transaction
from sroi.valuation import progress

from . import snapshot

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

INFLOW_KINDS = {
    Transaction.Kind.SROI_CONTRIBUTION,
    Transaction.Kind.OTHER_INCOME,
    Transaction.Kind.RETURN,
}
OUTFLOW_KINDS = {Transaction.Kind.DISBURSEMENT}
INTERNAL_KINDS = {Transaction.Kind.ALLOCATION, Transaction.Kind.RELEASE}


def money(amount: Decimal | None) -> Decimal:
    """An amount with exactly two decimals (stored as such in the snapshot)."""
    return (amount or ZERO).quantize(CENT)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The first moment of the year and of the next one, in the municipality's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone),
    )


class ReportDoesNotReconcile(Exception):
    """The ledger of a fund does not add up; the report must not be published."""


# What the report shows of a decision, read as plain values (no model objects).
_DECISION_VALUES = (
    "pk",
    "year",
    "number",
    "tally",
    "decided_at",
    "proposal_id",
    "proposal__title",
    "proposal__body__name",
)


def _decision_fields(row: dict, zone) -> dict:
    decided = row["decided_at"].astimezone(zone)
    return {
        "reference": Decision.reference_of(year=row["year"], number=row["number"]),
        "title": row["proposal__title"],
        "proposal_id": row["proposal_id"],
        "tally": TallyResult.from_dict(row["tally"]) if row["tally"] else None,
        "decided_at": decided.date(),
        "body": row["proposal__body__name"] or "",
    }


def _decision_refs(decisions) -> dict[int, snapshot.DecisionRef]:
    """Per decision id, what a line shows of it: one reference per decision, however many
    lines carry it (one query; `decisions` a subquery of their ids)."""
    zone = timezone.get_current_timezone()
    return {
        row["pk"]: snapshot.DecisionRef(**_decision_fields(row, zone))
        for row in Decision.objects.filter(pk__in=decisions).values(*_DECISION_VALUES)
    }


def _line(row: dict, *, amount: Decimal, decisions: dict) -> snapshot.Line:
    """One transaction (a row of `ledger.fund_transactions_between`) as a line of the report,
    with what it counts as and for how much."""
    if row["initiative_id"]:
        initiative = snapshot.Named(name=row["initiative__name"], slug=row["initiative__slug"])
    elif row["allocation_id"]:
        initiative = snapshot.Named(
            name=row["allocation__initiative__name"], slug=row["allocation__initiative__slug"]
        )
    else:
        initiative = None
    return snapshot.Line(
        transaction=row["pk"],
        date=row["date"],
        kind=row["kind"],
        counts_as=row["reversal_of__kind"] or row["kind"],
        counterparty=row["counterparty"] or "",
        amount=money(amount),
        correction=bool(row["reversal_of_id"]),
        reason_category=row["reason_category"],
        description=row["description"],
        contract=(
            snapshot.ContractRef(
                reference=row["contract__reference"],
                title=row["contract__title"],
                contractor=row["contract__contractor__name"],
            )
            if row["contract_id"]
            else None
        ),
        initiative=initiative,
        decision=(
            decisions.get(row["allocation__decision_id"])
            or snapshot.DecisionRef(reference=row["allocation__decision_reference"])
            if row["allocation_id"]
            else None
        ),
    )


def _fund_lines(fund: Fund, *, start: date, end: date) -> tuple[list, list, list, int]:
    """The fund's transactions dated from `start` to `end` as lines in, out and inside the fund
    (allocations, releases), and how many there were. Read as plain values, a chunk at a time
    (no model objects): two queries, however many lines."""
    decisions = _decision_refs(ledger.fund_decision_ids_between(fund, start=start, end=end))
    inflows, outflows, internal, count = [], [], [], 0
    for row in ledger.fund_transactions_between(fund, start=start, end=end):
        count += 1
        kind = row["reversal_of__kind"] or row["kind"]
        net, committed = row["fund_change"], row["allocated_change"]
        if kind in INFLOW_KINDS:
            inflows.append(_line(row, amount=net, decisions=decisions))
        elif kind in OUTFLOW_KINDS:
            outflows.append(_line(row, amount=-net, decisions=decisions))
        elif kind in INTERNAL_KINDS:
            if net != ZERO:
                raise ReportDoesNotReconcile(
                    f"{fund}: transaction {row['pk']} moves money inside the fund but changes "
                    "its total"
                )
            internal.append(_line(row, amount=committed, decisions=decisions))
        else:  # pragma: no cover - the database constraint allows no other kinds
            raise ReportDoesNotReconcile(f"{fund}: transaction {row['pk']} has unknown kind {kind}")
    return inflows, outflows, internal, count


def fund_content(fund: Fund, *, year: int, until: date | None = None) -> snapshot.Fund:
    """One fund's year (up to `until` for a running year): opening, every line in and out,
    allocations, closing, reconciliation. Every figure comes from sroi's ledger selectors; the
    lines are read as plain values with their effects summed in the database."""
    flows = ledger.flows(fund, year=year, until=until)
    inflows, outflows, internal, count = _fund_lines(fund, start=flows.first, end=flows.last)
    lines_in = sum((line.amount for line in inflows), ZERO)
    lines_out = sum((line.amount for line in outflows), ZERO)
    if (lines_in, lines_out) != (flows.total_in, flows.total_out) or not flows.reconciles:
        raise ReportDoesNotReconcile(
            f"{fund}: {flows.opening} + {flows.total_in} - {flows.total_out} != {flows.closing} "
            f"(lines: in {lines_in}, out {lines_out})"
        )
    return snapshot.Fund(
        name=fund.name,
        slug=fund.slug,
        opening=money(flows.opening),
        closing=money(flows.closing),
        total_in=money(flows.total_in),
        total_out=money(flows.total_out),
        in_by_source=snapshot.InBySource(
            contracts=money(flows.from_contracts),
            municipality=money(flows.from_municipality),
            other=money(flows.other_income),
            returned=money(flows.returned),
        ),
        out_by_kind=snapshot.OutByKind(paid_out=money(flows.paid_out)),
        # Part of the closing balance: allocated to initiatives, not yet paid out.
        allocated_open=money(ledger.position(fund, until=flows.last).committed),
        inflows=tuple(inflows),
        outflows=tuple(outflows),
        allocations=tuple(internal),
        transactions=count,
    )


def funds_in_scope(areas: list[int] | None, *, until: date | None = None):
    """The report's funds: of `areas` (None: every area) and, with `until`, only those that
    existed by then (opened, or money booked by that day): a fund opened later is not in an
    earlier year's report, with nothing in it."""
    funds = Fund.objects.order_by("name")
    if areas is not None:
        funds = funds.filter(area_id__in=areas)
    if until is not None:
        funds = funds.filter(
            Q(created_at__date__lte=until) | Q(transactions__date__lte=until)
        ).distinct()
    return list(funds)


def _verified_in_kind(contracts: list[Contract], *, before) -> dict[int, dict[str, Decimal]]:
    """Per contract, the verified in-kind value per block decided before `before`, from the
    public table of `sroi.disclosure` (one query): a block's value is that of its shown groups;
    the groups of too few persons are under "" (shown as "other"), so no figure of the report
    is finer than the open data."""
    in_kind: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    verified = Realisation.objects.filter(
        contract__in=contracts, status=Realisation.Status.VERIFIED, decided_at__lt=before
    )
    for cell in disclosure.published_cells(verified):
        in_kind[cell.contract_id]["" if cell.folded else cell.block] += cell.value
    return in_kind


def _contract_row(contract: Contract, *, blocks: dict[str, Decimal], paid: Decimal,
                  cash_in_year: Decimal, as_of: date) -> snapshot.Contract:  # fmt: skip
    verified = sum(blocks.values(), ZERO)
    state = progress(
        obligation=contract.obligation,
        verified_in_kind=verified,
        paid_in_cash=paid,
        start=contract.start_date,
        deadline=contract.fulfilment_deadline,
        today=as_of,
    )
    expected = (contract.obligation * state.share_elapsed).quantize(CENT, rounding=ROUND_DOWN)
    return snapshot.Contract(
        reference=contract.reference,
        title=contract.title,
        contractor=contract.contractor.name,
        department=contract.department,
        value=money(contract.value),
        percentage=contract.percentage,
        obligation=money(contract.obligation),
        deadline=contract.fulfilment_deadline,
        in_kind=tuple(
            snapshot.InKind(block=name, amount=money(amount))
            # the groups of too few persons ("") last
            for name, amount in sorted(blocks.items(), key=lambda item: (not item[0], item[0]))
        ),
        in_kind_total=money(verified),
        cash_in_year=money(cash_in_year),
        cash_to_date=money(paid),
        fulfilled=money(state.fulfilled),
        remaining=money(state.remaining),
        percent=state.percent,
        elapsed_percent=state.elapsed_percent,
        behind=state.is_behind,
        overdue=state.is_overdue,
        shortfall=money(max(expected - state.fulfilled, ZERO)),
    )


def contracts_content(*, year: int, funds: list[Fund] | None) -> list[snapshot.Contract]:
    """Per contract that had an obligation in the year: obligation, in kind per block, cash."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    _start, end = year_bounds(year)
    contracts = (
        Contract.objects.select_related("contractor")
        .filter(obligation__gt=0, start_date__lte=last)
        .filter(Q(fulfilment_deadline__isnull=True) | Q(fulfilment_deadline__gte=first))
        .order_by("reference")
    )
    if funds is not None:
        contracts = contracts.filter(transactions__fund__in=funds).distinct()
    contracts = list(contracts)
    in_kind = _verified_in_kind(contracts, before=end)
    cash_to_date = ledger.cash_paid(contracts, until=last)
    cash_in_year = ledger.cash_paid(contracts, since=first, until=last)
    as_of = min(last, timezone.localdate())
    return [
        _contract_row(
            contract,
            blocks=in_kind.get(contract.pk, {}),
            paid=cash_to_date.get(contract.pk, ZERO),
            cash_in_year=cash_in_year.get(contract.pk, ZERO),
            as_of=as_of,
        )
        for contract in contracts
    ]


def _split(amount: Decimal, parts: int) -> list[Decimal]:
    """`amount` in `parts` shares of whole cents that add up to it exactly."""
    share = (amount / parts).quantize(CENT, rounding=ROUND_DOWN)
    shares = [share] * parts
    for index in range(int((amount - share * parts) / CENT)):
        shares[index] += CENT
    return shares


def spending_by_classification(
    funds: list[snapshot.Fund], scheme: str, codes: list[str]
) -> list[snapshot.Amount]:
    """Money paid out in the year per classification of the receiving initiatives.

    An initiative with several values (say three leefgebieden) has its money divided equally
    over them, to the cent, so the bars add up to the money paid out.
    """
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for fund in funds:
        for line in fund.outflows:
            if line.initiative:
                paid[line.initiative.slug] += line.amount
    by_slug: dict[str, list[str]] = defaultdict(list)
    for slug, code in (
        Classification.objects.filter(scheme=scheme, initiatives__slug__in=list(paid))
        .order_by("position")
        .values_list("initiatives__slug", "code")
    ):
        by_slug[slug].append(code)
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for slug, amount in paid.items():
        values = by_slug.get(slug) or [""]
        for code, share in zip(values, _split(amount, len(values)), strict=True):
            totals[code] += share
    rows = [snapshot.Amount(code=code, amount=money(totals.get(code, ZERO))) for code in codes]
    if totals.get(""):
        rows.append(snapshot.Amount(code="", amount=money(totals[""])))
    return rows


def governance_content(*, year: int) -> snapshot.Governance:
    """The decisions of the year with their tallies, and the bodies' composition on 31 December."""
    last = date(year, 12, 31)
    start, end = year_bounds(year)
    decisions = (
        Decision.objects.filter(decided_at__gte=start, decided_at__lt=end)
        .order_by("decided_at", "pk")
        .values(*_DECISION_VALUES, "outcome", "proposal__kind", "proposal__method", "executed_at")
    )
    as_of = min(last, timezone.localdate())
    zone = timezone.get_current_timezone()
    return snapshot.Governance(
        decisions=tuple(
            snapshot.Decision(
                **_decision_fields(row, zone),
                outcome=row["outcome"],
                kind=row["proposal__kind"],
                executed=row["executed_at"] is not None,
                method=row["proposal__method"],
            )
            for row in decisions
        ),
        bodies=tuple(
            snapshot.Body(
                name=body.name,
                kind=body.kind,
                community=composition.community,
                institution=composition.institution,
                advisory=composition.advisory,
                needed=composition.needed,
                majority_held=composition.ok,
                decides=body.decision_rule_id is not None,
            )
            for body, composition in governance_selectors.bodies_with_composition(as_of)
        ),
        as_of=as_of,
    )
