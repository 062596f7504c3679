"""Open data: the register, contracts, realisations, fund transactions, allocations, decisions.

Each dataset is a list of columns (a stable Dutch machine name and an English description that
gettext translates) and a builder that reads one year in a fixed number of queries, whatever the
number of rows, and returns the rows as dicts. `csv_lines` and `json_chunks` turn rows into text
for a streaming response. Allocations are also published in the 360Giving Data Standard (1.4.3)
and contracts in the Open Contracting Data Standard (1.1.5), built from the same reads.

No personal data leaves through here: no contact details, no user names (not of civil servants
who recorded something either), no person references of realisations, no votes of anyone.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from governance import tally as counting
from governance.models import Decision, Proposal
from initiatives.models import Classification, Initiative
from initiatives.selectors import initiatives_for_list
from initiatives.tabular import PUBLIC_COLUMNS, export_row
from security.cells import safe_cell
from sroi import ledger_selectors as ledger
from sroi.models import Allocation, Contract, Fund, Realisation, Transaction
from sroi.models.fields import MoneyField
from sroi.valuation import progress

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = MoneyField()

LICENSE_NAME = "CC0 1.0 Universal (Public Domain Dedication)"
LICENSE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
ALL_YEARS = "alle"

# Identifier prefixes of the two standards. A municipality that publishes to the 360Giving
# registry or the OCDS data registry gets its own prefix there and puts it here; until then these
# mark the identifiers as ours, unregistered.
GRANT_ID_PREFIX = "360G-burgerkracht-"
OCID_PREFIX = "ocds-burgerkracht-"
RECIPIENT_ID_PREFIX = "burgerkracht-initiatief-"
FUNDER_ID_PREFIX = "burgerkracht-fonds-"
BUYER_ID = "burgerkracht-gemeente"
LEEFGEBIED_VOCABULARY = "burgerkracht-leefgebied"


# --- Years -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One calendar year, or (year None) everything up to now."""

    year: int | None

    @property
    def first(self) -> date | None:
        return date(self.year, 1, 1) if self.year else None

    @property
    def last(self) -> date | None:
        return date(self.year, 12, 31) if self.year else None

    def bounds(self) -> tuple[datetime, datetime] | None:
        """The first moment of the year and of the next one, in the municipality's time zone."""
        if not self.year:
            return None
        zone = ZoneInfo(settings.TIME_ZONE)
        return (
            datetime.combine(date(self.year, 1, 1), time.min, tzinfo=zone),
            datetime.combine(date(self.year + 1, 1, 1), time.min, tzinfo=zone),
        )

    @property
    def as_of(self) -> date:
        """The day the figures are counted up to: the year's last day, or today if earlier."""
        today = timezone.localdate()
        return min(self.last, today) if self.last else today

    @property
    def label(self) -> str:
        return str(self.year) if self.year else ALL_YEARS


def parse_period(value: str | None, *, all_by_default: bool) -> Period:
    """The period asked for with `?jaar=`: a year, "alle", or the default; ValueError if neither."""
    if not value:
        return Period(None) if all_by_default else Period(timezone.localdate().year - 1)
    if value == ALL_YEARS:
        return Period(None)
    if not re.fullmatch(r"[12][0-9]{3}", value):
        raise ValueError(value)
    return Period(int(value))


def _in_year(queryset: QuerySet, period: Period, date_field: str, *, moment: bool = False):
    if not period.year:
        return queryset
    if moment:
        start, end = period.bounds()
        return queryset.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    return queryset.filter(
        **{f"{date_field}__gte": period.first, f"{date_field}__lte": period.last}
    )


# --- Values ------------------------------------------------------------------------------------


def cents(amount: Decimal | None) -> Decimal:
    return (amount or ZERO).quantize(CENT)


def _money_sum(expression, **kwargs):
    return Coalesce(Sum(expression, **kwargs), Value(ZERO), output_field=MONEY)


def _local_date(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).date().isoformat() if moment else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _moment(day: date, *, end: bool = False) -> str:
    """A date as an ISO date-time in the municipality's time zone (the standards want one)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    clock = time(23, 59, 59) if end else time.min
    return datetime.combine(day, clock, tzinfo=zone).isoformat()


# --- Datasets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    description: Promise


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    build: Callable[[Period], list[dict]]
    all_years_by_default: bool = False

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


# The register: the public columns of the register export, plus the date of registration.

REGISTER_COLUMNS = (
    Column("naam", _("Name of the initiative.")),
    Column("slug", _("Stable identifier of the initiative, also used in its web address.")),
    Column("samenvatting", _("Short summary.")),
    Column("beschrijving", _("Description.")),
    Column("gebied", _("Area (neighbourhood or district) where the initiative works.")),
    Column("initiatiefnemer", _("Who started it (residents, entrepreneurs, …).")),
    Column("organisatievorm", _("Organisation form (foundation, association, informal, …).")),
    Column("fase", _("Phase of the initiative.")),
    Column("startdatum", _("Start date (YYYY-MM-DD), if known.")),
    Column("status", _("Status in the register (registered, active, paused, ended).")),
    Column("website", _("Website of the initiative, if any.")),
    Column("bloedgroep", _("Blood group (bloedgroep): the kind of initiative.")),
    Column("verhouding_overheid", _("Relation to the government.")),
    Column("werkvelden", _("Work fields, separated by '; '.")),
    Column("doelgroepen", _("Target group clusters, separated by '; '.")),
    Column("toegevoegde_waarde", _("Added value, separated by '; '.")),
    Column("drempels", _("Thresholds passed, separated by '; '.")),
    Column("socialization_doelgroepen", _("Socialization+ target groups, separated by '; '.")),
    Column("leefgebieden", _("Areas of life (leefgebieden), separated by '; '.")),
    Column("geregistreerd_op", _("Date the initiative was registered (YYYY-MM-DD).")),
)


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

CONTRACT_COLUMNS = (
    Column("referentie", _("The municipality's contract reference.")),
    Column("titel", _("Title of the contract.")),
    Column("afdeling", _("Municipal department that awarded the contract.")),
    Column("opdrachtnemer", _("Contractor (a company).")),
    Column("kvk_nummer", _("The contractor's number in the Dutch Chamber of Commerce register.")),
    Column("opdrachtwaarde", _("Contract value in euros, excluding VAT.")),
    Column("gunningsdatum", _("Award date.")),
    Column("startdatum", _("Start date.")),
    Column("einddatum", _("End date.")),
    Column("percentage", _("Social-return percentage of the contract value.")),
    Column("drempel", _("Threshold in euros: below this value no obligation applies.")),
    Column("verplichting", _("Social-return obligation in euros.")),
    Column("deadline", _("Date by which the obligation must be fulfilled.")),
    Column(
        "soort_verplichting",
        _("Kind of obligation: 'inspanning' (effort) or 'resultaat' (result)."),
    ),
    Column(
        "status",
        _("Status: 'lopend' (running), 'afgerond' (completed) or 'ontbonden' (terminated)."),
    ),
    Column("geverifieerd_in_natura", _("Value delivered in kind and verified, in euros.")),
    Column("betaald_in_geld", _("Paid in cash into a community fund, in euros.")),
    Column("vervuld", _("Fulfilled: in kind plus in cash, in euros.")),
    Column("resterend", _("Still to be fulfilled, in euros (never below zero).")),
    Column("peildatum", _("The day the figures are counted up to.")),
    Column("achter_op_schema", _("true when less is fulfilled than the time passed would need.")),
    Column("over_deadline", _("true when the deadline has passed with money remaining.")),
)


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


# Verified realisations: what was delivered in kind. Never who.

REALISATION_COLUMNS = (
    Column("id", _("Number of the realisation in this register.")),
    Column("contract_referentie", _("Reference of the contract it counts for.")),
    Column("bouwblok_code", _("Code of the building block (kind of contribution).")),
    Column("bouwblok", _("Name of the building block.")),
    Column(
        "soort_bouwblok",
        _("How the block is valued: 'persoonsjaar', 'uur', 'factuur', 'bonus' or 'geld'."),
    ),
    Column("doelgroep", _("Target group reached (a code); never who the person is.")),
    Column("startdatum", _("Start of the period.")),
    Column("einddatum", _("End of the period, if any.")),
    Column("maanden", _("Months counted, for person-years.")),
    Column("uren_per_week", _("Hours per week, for person-years.")),
    Column("uren", _("Hours, for blocks counted per employee-hour.")),
    Column("bonussen", _("Bonuses included in the value, in euros.")),
    Column("waarde", _("Value counted towards the obligation, in euros.")),
    Column("geverifieerd_op", _("Date a civil servant verified it.")),
)


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


# Fund transactions: every money flow, one row each.

TRANSACTION_COLUMNS = (
    Column("id", _("Number of the transaction in the ledger.")),
    Column("datum", _("Date of the transaction.")),
    Column("fonds", _("The fund (its short name).")),
    Column(
        "soort",
        _(
            "Kind: 'sroi_bijdrage' (social-return payment), 'overige_inkomsten' (other income), "
            "'toekenning' (allocation), 'uitbetaling' (tranche paid to an initiative), "
            "'terugbetaling' (unspent money returned), 'vrijval' (release of an unpaid "
            "allocation) or 'correctie' (reversal of an earlier transaction)."
        ),
    ),
    Column("telt_als", _("For a reversal: the kind of transaction it undoes; else the kind.")),
    Column(
        "bedrag",
        _(
            "Amount in euros: the change of the fund's total (positive: money came in, "
            "negative: money went out). For movements inside the fund (allocations, releases "
            "and their reversals), which leave the total unchanged: the change of the money "
            "allocated to initiatives but not yet paid out."
        ),
    ),
    Column("wijziging_fondstotaal", _("Change of the fund's total (available plus allocated).")),
    Column("wijziging_toegekend", _("Change of the fund's allocated, not yet paid out money.")),
    Column("contract_referentie", _("The contract that paid, for social-return payments.")),
    Column("initiatief_slug", _("The initiative concerned, if any.")),
    Column("toekenning_id", _("The allocation concerned, if any (see the allocations).")),
    Column("besluit_referentie", _("Reference of the decision that allowed it, if any.")),
    Column("correctie_van", _("For a reversal: the number of the transaction it undoes.")),
    Column("reden", _("For a reversal: why.")),
)


def transaction_rows(period: Period) -> list[dict]:
    """Every transaction of every fund in the year (or all), with its effect; two queries."""
    transactions = _in_year(
        Transaction.objects.select_related(
            "fund", "contract", "initiative", "allocation__initiative", "reversal_of"
        ).order_by("date", "pk"),
        period,
        "date",
    )
    effects = ledger.transaction_effects(transactions)
    rows = []
    for t in transactions:
        total, allocated = (cents(amount) for amount in effects.get(t.pk, (ZERO, ZERO)))
        initiative = t.initiative or (t.allocation.initiative if t.allocation_id else None)
        rows.append(
            {
                "id": t.pk,
                "datum": _iso(t.date),
                "fonds": t.fund.slug,
                "soort": t.kind,
                "telt_als": t.reversal_of.kind if t.reversal_of_id else t.kind,
                "bedrag": total if total else allocated,
                "wijziging_fondstotaal": total,
                "wijziging_toegekend": allocated,
                "contract_referentie": t.contract.reference if t.contract_id else None,
                "initiatief_slug": initiative.slug if initiative else None,
                "toekenning_id": t.allocation_id,
                "besluit_referentie": t.decision_reference
                or (t.allocation.decision_reference if t.allocation_id else None)
                or None,
                "correctie_van": t.reversal_of_id,
                "reden": t.reason or None,
            }
        )
    return rows


# Funds per year: opening, money in per source, money out, closing (sroi's ledger selectors).

FUND_COLUMNS = (
    Column("fonds", _("The fund (its short name).")),
    Column("fondsnaam", _("Name of the fund.")),
    Column("jaar", _("The year.")),
    Column("begin", _("Balance on 1 January, in euros.")),
    Column("van_contracten", _("Social return paid into the fund by contractors, in euros.")),
    Column("van_gemeente", _("Top-ups from the municipality, in euros.")),
    Column("overige_inkomsten", _("Other income, in euros.")),
    Column("teruggestort", _("Unspent money returned by initiatives, in euros.")),
    Column("totaal_in", _("All money in: the four columns before added up, in euros.")),
    Column("uitbetaald", _("Tranches paid out to initiatives, in euros.")),
    Column("totaal_uit", _("All money out, in euros.")),
    Column(
        "eind",
        _("Balance at the reference date: begin + totaal_in − totaal_uit, in euros."),
    ),
    Column("peildatum", _("The day the amounts are counted up to: 31 December, or today.")),
    Column("tussenstand", _("true when the year has not ended: the amounts are an interim count.")),
)


def fund_rows(period: Period) -> list[dict]:
    """Per fund and year (the year asked, or every year with money): its flows; a fixed number
    of queries per year."""
    funds = {fund.pk: fund for fund in Fund.objects.order_by("name")}
    today = timezone.localdate()
    if period.year:
        years = [period.year]
    else:
        first = Transaction.objects.order_by("date").values_list("date", flat=True).first()
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


# Allocations: money granted to initiatives, and what happened to it.

ALLOCATION_COLUMNS = (
    Column("id", _("Number of the allocation.")),
    Column("fonds", _("The fund the money comes from (its short name).")),
    Column("initiatief_slug", _("Identifier of the receiving initiative (see the register).")),
    Column("initiatief", _("Name of the receiving initiative.")),
    Column("bedrag", _("Amount granted, in euros.")),
    Column("doel", _("What the money is for.")),
    Column("datum", _("Date of the allocation.")),
    Column("besluit_referentie", _("Reference of the decision that granted it.")),
    Column(
        "status",
        _("Status: 'open', 'gesloten' (closed) or 'ingetrokken' (cancelled by a reversal)."),
    ),
    Column("uitbetaald", _("Paid out to the initiative up to the reference date, in euros.")),
    Column("teruggestort", _("Unspent money the initiative returned, in euros.")),
    Column("open", _("Granted but not yet paid out on the reference date, in euros.")),
    Column("peildatum", _("The day the paid, returned and open amounts are counted up to.")),
)


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


def allocation_rows(period: Period) -> list[dict]:
    """Allocations made in the year (or all): granted, paid, returned and open."""
    as_of = period.as_of.isoformat()
    return [
        {
            "id": a.pk,
            "fonds": a.fund.slug,
            "initiatief_slug": a.initiative.slug,
            "initiatief": a.initiative.name,
            "bedrag": cents(a.amount),
            "doel": a.purpose,
            "datum": _iso(a.date),
            "besluit_referentie": a.decision_reference,
            "status": a.status,
            "uitbetaald": a.paid,
            "teruggestort": a.returned,
            "open": a.open,
            "peildatum": as_of,
        }
        for a in _allocations(period)
    ]


# Decisions with their tallies: numbers only, never who voted what.

DECISION_COLUMNS = (
    Column("referentie", _("Reference of the decision, e.g. BK-2025-0007.")),
    Column("titel", _("Title of the proposal.")),
    Column("tekst", _("Text of the proposal.")),
    Column("soort", _("Kind: 'general' or 'fund_allocation'.")),
    Column(
        "methode",
        _("How it was decided: 'board' (vote of a body) or 'poll' (community-wide secret ballot)."),
    ),
    Column("orgaan", _("The deciding body, for a vote of a body.")),
    Column("uitkomst", _("Outcome: 'aangenomen' (adopted) or 'verworpen' (rejected).")),
    Column("besloten_op", _("Date of the decision.")),
    Column("voor", _("Votes for.")),
    Column("tegen", _("Votes against.")),
    Column("onthouding", _("Abstentions.")),
    Column("opkomst", _("Turnout as counted for the quorum.")),
    Column("kiesgerechtigden", _("Number of people entitled to vote.")),
    Column(
        "quorum", _("Kind of quorum: 'none', 'majority' (of the electorate), 'count', 'percent'.")
    ),
    Column("quorum_nodig", _("Turnout needed.")),
    Column("meerderheid_procent", _("More than this percentage of votes for or against needed.")),
    Column("meerderheid_nodig", _("Votes for needed.")),
    Column(
        "gemeenschapsgarantie",
        _("true when the community side must also have a majority in favour."),
    ),
    Column("gemeenschap_voor", _("Votes for on the community side (residents and youth).")),
    Column("gemeenschap_tegen", _("Votes against on the community side.")),
    Column("gemeenschap_onthouding", _("Abstentions on the community side.")),
    Column("gemeenschap_nodig", _("Votes for needed on the community side.")),
    Column("uitgevoerd_op", _("Date the decision was carried out, if it was.")),
    Column("toekenning_id", _("For a fund allocation: the allocation that carried it out.")),
    Column("uitleg", _("The outcome in words, in Dutch.")),
)


def decision_rows(period: Period) -> list[dict]:
    """Decisions taken in the year (or all) with their tallies as numbers; one query."""
    decisions = _in_year(public_decisions(), period, "decided_at", moment=True)
    with translation.override("nl"):
        return [decision_row(decision) for decision in decisions]


def public_decisions() -> QuerySet[Decision]:
    """Decisions of proposals the public may see, oldest first, with their body (one query)."""
    return (
        Decision.objects.filter(proposal__status__in=Proposal.PUBLIC)
        .select_related("proposal__body")
        .order_by("decided_at", "pk")
    )


def decision_row(decision: Decision) -> dict:
    """One decision as open data: the tally as numbers and the outcome in words (active language)."""
    result = counting.TallyResult.from_dict(decision.tally)
    proposal = decision.proposal
    return {
        "referentie": decision.reference,
        "titel": proposal.title,
        "tekst": proposal.text,
        "soort": proposal.kind,
        "methode": proposal.method,
        "orgaan": proposal.body.name if proposal.body_id else None,
        "uitkomst": decision.outcome,
        "besloten_op": _local_date(decision.decided_at),
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
        "uitgevoerd_op": _local_date(decision.executed_at),
        "toekenning_id": decision.allocation_id,
        "uitleg": str(counting.explain(result)),
    }


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
            build=register_rows,
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
            build=contract_rows,
        ),
        Dataset(
            name="realisaties",
            title=_("Social return delivered in kind"),
            description=_(
                "Verified realisations: placements, hours and purchases that count towards a "
                "contract's obligation. Only the target group is recorded, never who the person "
                "is. With a year: the realisations verified in that year."
            ),
            columns=REALISATION_COLUMNS,
            build=realisation_rows,
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
            build=transaction_rows,
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
            build=fund_rows,
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
            build=allocation_rows,
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
            build=decision_rows,
        ),
    )
}


# --- 360Giving ---------------------------------------------------------------------------------


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _leefgebieden(allocation: Allocation) -> list[Classification]:
    """The decision's leefgebieden (what the money works on), else the initiative's."""
    decision = getattr(allocation, "governance_decision", None)
    if decision is not None:
        chosen = list(decision.proposal.leefgebieden.all())
        if chosen:
            return chosen
    return list(allocation.initiative.classifications.all())


def grant(allocation: Allocation) -> dict:
    """One allocation as a 360Giving grant (schema 1.4.3); amounts as exact JSON numbers."""
    initiative, fund = allocation.initiative, allocation.fund
    with translation.override("nl"):
        classifications = [
            {"vocabulary": LEEFGEBIED_VOCABULARY, "code": c.code, "title": str(c.label)}
            for c in _leefgebieden(allocation)
        ]
    recipient = {"id": f"{RECIPIENT_ID_PREFIX}{initiative.slug}", "name": initiative.name}
    if initiative.website:
        recipient["url"] = initiative.website
    data = {
        "id": f"{GRANT_ID_PREFIX}{allocation.pk}",
        "title": _truncate(f"{initiative.name}: {allocation.purpose}", 139),
        "description": allocation.purpose,
        "currency": "EUR",
        "amountAwarded": cents(allocation.amount),
        "amountDisbursed": allocation.paid,
        "awardDate": _iso(allocation.date),
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {
                "id": f"{FUNDER_ID_PREFIX}{fund.slug}",
                "name": f"{fund.name} ({settings.MUNICIPALITY_NAME})",
            }
        ],
        "grantProgramme": [{"code": fund.slug, "title": fund.name}],
        "beneficiaryLocation": [{"name": initiative.area.name, "countryCode": "NL"}],
    }
    if classifications:
        data["classifications"] = classifications
    return data


def grants_package(period: Period, *, uri: str, page: str) -> tuple[dict, str, list[dict]]:
    """The 360Giving package metadata, its list key and the grants of the year."""
    meta = {
        "version": "1.4",
        "title": f"{settings.MUNICIPALITY_NAME}: {STANDARDS['toekenningen-360giving'].title}"
        f" ({period.year or ALL_YEARS})",
        "description": str(STANDARDS["toekenningen-360giving"].description),
        "issued": timezone.now().isoformat(timespec="seconds"),
        "publisher": {"name": settings.MUNICIPALITY_NAME},
        "license": LICENSE_URL,
        "downloadURL": uri,
        "accessURL": page,
    }
    return meta, "grants", [grant(a) for a in _allocations(period)]


# --- Open Contracting --------------------------------------------------------------------------

CONTRACT_STATUS = {
    Contract.Status.RUNNING: "active",
    # OCDS "terminated": was in force and has come to a close, completed or ended early.
    Contract.Status.COMPLETED: "terminated",
    Contract.Status.TERMINATED: "terminated",
}


OBLIGATION_KIND_NL = {
    Contract.ObligationKind.EFFORT: "inspanningsverplichting",
    Contract.ObligationKind.RESULT: "resultaatverplichting",
}


def _reference_moment(as_of: date) -> str:
    """When a release is dated: the end of its reference day, or now for today."""
    if as_of >= timezone.localdate():
        return timezone.localtime().isoformat(timespec="seconds")
    return _moment(as_of, end=True)


def _milestone_status(state, deadline: date, as_of: date) -> str:
    if state.remaining <= 0:
        return "met"
    if deadline >= as_of:
        return "scheduled"
    return "partiallyMet" if state.fulfilled > 0 else "notMet"


def social_return_milestone(contract: Contract, in_kind, cash, state, as_of: date) -> dict:
    """The social-return obligation and its fulfilment as an OCDS contract milestone."""
    description = (
        f"Social return: verplichting EUR {cents(contract.obligation)} "
        f"({cents(contract.percentage)}% van de opdrachtwaarde, drempel EUR "
        f"{cents(contract.threshold)}, {OBLIGATION_KIND_NL[contract.obligation_kind]}). "
        f"Vervuld op {as_of.isoformat()}: EUR {cents(state.fulfilled)}, waarvan EUR {in_kind} "
        f"in natura (geverifieerde realisaties) en EUR {cash} in geld (stortingen in het "
        f"gemeenschapsfonds); resterend EUR {cents(state.remaining)}."
    )
    milestone = {
        "id": f"{contract.reference}-social-return",
        "title": "Social return (SROI)",
        "type": "delivery",
        "code": "social-return",
        "description": description,
        "dueDate": _moment(contract.fulfilment_deadline, end=True),
        "status": _milestone_status(state, contract.fulfilment_deadline, as_of),
        "dateModified": _reference_moment(as_of),
    }
    return milestone


def release(contract: Contract, in_kind, cash, state, period: Period) -> dict:
    """One contract as an OCDS 1.1 release, as it stood on the period's reference date."""
    as_of = period.as_of
    supplier_id = f"NL-KVK-{contract.contractor.kvk_number}"
    supplier = {"id": supplier_id, "name": contract.contractor.name}
    buyer = {"id": BUYER_ID, "name": settings.MUNICIPALITY_NAME}
    first_release = not period.year or contract.award_date.year >= period.year
    value = {"amount": cents(contract.value), "currency": "EUR"}
    award_id = f"{contract.reference}-award"
    contract_data = {
        "id": contract.reference,
        "awardID": award_id,
        "title": contract.title,
        "status": CONTRACT_STATUS.get(contract.status, "active"),
        "period": {
            "startDate": _moment(contract.start_date),
            "endDate": _moment(contract.end_date, end=True),
        },
        "value": value,
        "dateSigned": _moment(contract.award_date),
    }
    if contract.obligation > 0:
        contract_data["implementation"] = {
            "milestones": [social_return_milestone(contract, in_kind, cash, state, as_of)]
        }
    return {
        "ocid": f"{OCID_PREFIX}{contract.reference}",
        "id": f"{contract.reference}-{as_of:%Y%m%d}",
        "date": _reference_moment(as_of),
        "tag": ["award", "contract"] if first_release else ["contractUpdate"],
        "initiationType": "tender",
        "language": "nl",
        "parties": [
            {**buyer, "roles": ["buyer"]},
            {
                **supplier,
                "identifier": {
                    "scheme": "NL-KVK",
                    "id": contract.contractor.kvk_number,
                    "legalName": contract.contractor.name,
                },
                "roles": ["supplier"],
            },
        ],
        "buyer": buyer,
        "awards": [
            {
                "id": award_id,
                "title": contract.title,
                "status": "active",
                "date": _moment(contract.award_date),
                "value": value,
                "suppliers": [supplier],
            }
        ],
        "contracts": [contract_data],
    }


def release_package(period: Period, *, uri: str, page: str) -> tuple[dict, str, list[dict]]:
    """The OCDS release package metadata, its list key and one release per contract."""
    meta = {
        "uri": uri,
        "version": "1.1",
        "publishedDate": timezone.now().isoformat(timespec="seconds"),
        "publisher": {"name": settings.MUNICIPALITY_NAME},
        "license": LICENSE_URL,
        "publicationPolicy": page,
    }
    releases = [
        release(contract, in_kind, cash, state, period)
        for contract, in_kind, cash, state in _contract_figures(_contracts(period), period)
    ]
    return meta, "releases", releases


@dataclass(frozen=True)
class Standard:
    name: str
    title: Promise
    description: Promise
    source: str  # the plain dataset whose years it follows
    build: Callable[..., tuple[dict, str, list[dict]]]


STANDARDS: dict[str, Standard] = {
    "toekenningen-360giving": Standard(
        name="toekenningen-360giving",
        title=_("Allocations in the 360Giving Data Standard"),
        description=_(
            "The allocations as a 360Giving data package (schema 1.4.3): one grant per "
            "allocation. The grant id is a 360Giving prefix plus our allocation number; the "
            "prefix '360G-burgerkracht-' is a placeholder: a municipality must register its own "
            "prefix with 360Giving before publishing there. The recipient is the initiative "
            "(identifier 'burgerkracht-initiatief-' plus its slug), the funder is the fund with "
            "the municipality, amountDisbursed is what the ledger paid out up to the reference "
            "date, beneficiaryLocation is the initiative's area and classifications are the "
            "leefgebieden of the decision (else of the initiative). A year without allocations "
            "has no package (the standard needs at least one grant)."
        ),
        source="toekenningen",
        build=grants_package,
    ),
    "contracten-ocds": Standard(
        name="contracten-ocds",
        title=_("Contracts in the Open Contracting Data Standard"),
        description=_(
            "The contracts as an OCDS 1.1.5 release package: one release per contract, with the "
            "municipality as buyer, the contractor as supplier (identifier scheme NL-KVK, its "
            "Chamber of Commerce number), the award and the contract with its value in EUR, "
            "period and status (running: active; completed or terminated: terminated). OCDS "
            "has no field for social return, so the obligation and its fulfilment are one "
            "milestone in contracts/implementation/milestones with code 'social-return', type "
            "'delivery', dueDate the fulfilment deadline, status met, scheduled, partiallyMet "
            "or notMet, and a description with the obligation, what was fulfilled in kind and "
            "in cash, and what remains (the machine-readable figures are in the contracts "
            "dataset). A release shows the contract on the reference date and has a new id for "
            "each reference date. The ocid prefix 'ocds-burgerkracht-' is a placeholder: a "
            "municipality must register its own prefix. A year without contracts has no "
            "package (the standard needs at least one release)."
        ),
        source="contracten",
        build=release_package,
    ),
}


# --- Years available ---------------------------------------------------------------------------


def years_available() -> dict[str, list[int]]:
    """Per dataset the years that have rows, newest first; six queries."""
    this_year = timezone.localdate().year

    def years(values: Iterable) -> list[int]:
        return sorted({value.year for value in values}, reverse=True)

    transaction_years = years(Transaction.objects.dates("date", "year"))
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


# --- Serialisation -----------------------------------------------------------------------------


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """The header and then one CSV line per row (RFC 4180, UTF-8, no BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns)
    yield flush()
    for row in rows:
        writer.writerow([csv_cell(safe_cell(row[column])) for column in columns])
        yield flush()


# A Decimal is written as a marker string, which the output then unquotes into a bare JSON number
# with exactly its digits: no float on the way. The marker starts with NUL, which JSON always
# escapes and text in our database never holds (PostgreSQL refuses it).
_NUMBER_MARK = "\x00"
_NUMBER_RE = re.compile(r'"\\u0000(-?[0-9]+(?:\.[0-9]+)?)"')


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return _NUMBER_MARK + format(o, "f")
        return super().default(o)


def dumps(value) -> str:
    """JSON text with Decimals as exact numbers and dates as ISO strings."""
    text = json.dumps(value, cls=ExactJSONEncoder, ensure_ascii=False)
    return _NUMBER_RE.sub(r"\1", text)


def json_chunks(meta: dict, key: str, items: Iterable[dict]) -> Iterator[str]:
    """One JSON object: `meta`'s keys and then `key` holding `items`, written item by item."""
    head = dumps(meta)
    yield (head[:-1] + ", " if meta else "{") + json.dumps(key) + ": ["
    for index, item in enumerate(items):
        yield ("," if index else "") + "\n" + dumps(item)
    yield "\n]}\n"


def dataset_meta(dataset: Dataset, period: Period, *, uri: str, page: str) -> dict:
    """What a JSON download says about itself: licence, date, period and each column's meaning."""
    return {
        "dataset": dataset.name,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "publisher": {"name": settings.MUNICIPALITY_NAME},
        "license": {"name": LICENSE_NAME, "url": LICENSE_URL},
        "issued": timezone.now().isoformat(timespec="seconds"),
        "year": period.year,
        "uri": uri,
        "documentation": page,
        "columns": [
            {"name": column.name, "description": str(column.description)}
            for column in dataset.columns
        ],
    }


def description_text(dataset: Dataset, *, years: list[int], page: str) -> str:
    """A plain-text description of a dataset for people who download the CSV."""
    lines = [
        str(dataset.title),
        "=" * len(str(dataset.title)),
        "",
        str(dataset.description),
        "",
        f"{_('Licence')}: {LICENSE_NAME} <{LICENSE_URL}>",
        f"{_('Publisher')}: {settings.MUNICIPALITY_NAME}",
        f"{_('Date of this description')}: {timezone.now().isoformat(timespec='seconds')}",
        f"{_('Years')}: {', '.join(str(y) for y in years) or '-'}",
        f"{_('More information')}: {page}",
        "",
        f"{_('Columns')}:",
    ]
    for column in dataset.columns:
        lines.append(f"- {column.name}: {column.description}")
    lines += [
        "",
        str(
            _(
                "CSV: UTF-8, comma-separated, first line the column names. Amounts in euros with "
                "a dot and two decimals; dates as YYYY-MM-DD; true/false for yes/no; an empty "
                "cell when there is no value."
            )
        ),
    ]
    return "\n".join(lines) + "\n"
