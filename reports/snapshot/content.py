"""The content of an annual report as frozen dataclasses (what `reports.content` builds and the
page and the PDF read). A change of shape gets a new version in `codec`."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from governance import tally
from governance.models import Proposal
from governance.tally import TallyResult
from sroi.models import Account, Transaction, public_reason

CATEGORY_LABELS = {
    "van_contracten": _("Social return from contracts"),
    "van_gemeente": _("From the municipality"),
    "overige_inkomsten": _("Other income"),
    "teruggestort": _("Returned by initiatives"),
    "uitbetaald": _("Paid out to initiatives"),
}


def label(choices, code: str) -> str:
    """The label of a stored choice in the active language; the code itself if it has none."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


@dataclass(frozen=True)
class Named:
    """An initiative or an area: its name and slug."""

    name: str
    slug: str


@dataclass(frozen=True)
class ContractRef:
    reference: str
    title: str
    contractor: str


@dataclass(frozen=True)
class DecisionRef:
    """The decision behind an allocation or a tranche; `title` empty when it was not found."""

    reference: str
    title: str = ""
    tally: TallyResult | None = None
    decided_at: date | None = None
    proposal_id: int | None = None
    body: str = ""

    @property
    def summary(self) -> str:
        """The tally's numbers in a line or two, for a list that says once how a vote counts."""
        return tally.summarise(self.tally) if self.tally else ""


@dataclass(frozen=True)
class Line:
    """One transaction of a fund in the year, with the amount it counts for on its side."""

    transaction: int
    date: date
    kind: str
    counts_as: str
    amount: Decimal
    correction: bool = False
    # The kind of the line's account outside the fund (`Account.Kind`: contract, municipality,
    # other_income, initiative); "" for a move inside the fund, and in reports frozen before
    # it was kept (they name money from the municipality "other income").
    counterparty: str = ""
    # A reversal's own words: only in reports frozen before the kinds of reason (review R5);
    # a report made since keeps the kind of reason (`sroi.CorrectionReason`), never the words.
    reason: str = ""
    description: str = ""
    contract: ContractRef | None = None
    initiative: Named | None = None
    decision: DecisionRef | None = None
    reason_category: str = ""

    @property
    def published_reason(self) -> str:
        """Why a correction was made, as the report says it: the label of its kind of reason;
        in a report frozen before the kinds, the words it was frozen with; else "correction"."""
        if self.reason_category or not self.reason:
            return public_reason(self.reason_category)
        return self.reason

    @property
    def kind_label(self) -> str:
        if self.kind == Transaction.Kind.OTHER_INCOME and self.from_municipality:
            return label(Account.Kind, Account.Kind.MUNICIPALITY)
        return label(Transaction.Kind, self.kind)

    @property
    def from_municipality(self) -> bool:
        return self.counterparty == Account.Kind.MUNICIPALITY

    @property
    def source_label(self) -> str:
        """Where money in came from, as the report groups it without a contract: the
        municipality, or the kind of income it counts as."""
        if self.counts_as == Transaction.Kind.OTHER_INCOME and self.from_municipality:
            return label(Account.Kind, Account.Kind.MUNICIPALITY)
        return label(Transaction.Kind, self.counts_as)


@dataclass(frozen=True)
class InBySource:
    contracts: Decimal
    municipality: Decimal
    other: Decimal
    returned: Decimal


@dataclass(frozen=True)
class OutByKind:
    paid_out: Decimal


@dataclass(frozen=True)
class Fund:
    """A fund's year: opening + total_in − total_out = closing, and every line behind it."""

    name: str
    slug: str
    opening: Decimal
    closing: Decimal
    total_in: Decimal
    total_out: Decimal
    inflows: tuple[Line, ...] = ()
    outflows: tuple[Line, ...] = ()
    allocations: tuple[Line, ...] = ()
    transactions: int = 0
    # Reports made before the ledger's read door have no split per source.
    in_by_source: InBySource | None = None
    out_by_kind: OutByKind | None = None
    # Part of the closing balance allocated but not yet paid; reports frozen before it was
    # recorded have none.
    allocated_open: Decimal | None = None

    @property
    def reconciles(self) -> bool:
        return self.opening + self.total_in - self.total_out == self.closing


@dataclass(frozen=True)
class InKind:
    """Verified value of one building block of a contract; block "" holds the groups of too
    few persons to show (`sroi.disclosure`), in reports made since they are folded."""

    block: str
    amount: Decimal

    @property
    def label(self) -> str:
        return self.block or str(_("Other: groups of fewer persons, added up"))


@dataclass(frozen=True)
class Contract:
    """A contract with a social-return obligation in the year, and how far it is."""

    reference: str
    title: str
    contractor: str
    department: str
    value: Decimal
    percentage: Decimal
    obligation: Decimal
    deadline: date | None
    in_kind: tuple[InKind, ...]
    in_kind_total: Decimal
    cash_in_year: Decimal
    cash_to_date: Decimal
    fulfilled: Decimal
    remaining: Decimal
    percent: int
    elapsed_percent: int
    behind: bool
    overdue: bool
    shortfall: Decimal


@dataclass(frozen=True)
class Amount:
    """Money paid out for one classification code (`""`: the initiative has none)."""

    code: str
    amount: Decimal


@dataclass(frozen=True)
class Decision(DecisionRef):
    """A decision of the year with its outcome (a `Proposal.Status` value)."""

    outcome: str = ""
    kind: str = ""
    executed: bool = False
    # How it was decided (`Proposal.Method`: a body's vote, or residents in a poll); "" in
    # reports frozen before it was kept.
    method: str = ""

    @property
    def outcome_label(self) -> str:
        return label(Proposal.Status, self.outcome)


@dataclass(frozen=True)
class Body:
    """A body's composition on the last day of the report."""

    name: str
    kind: str
    community: int
    institution: int
    advisory: int
    needed: int
    majority_held: bool
    decides: bool


@dataclass(frozen=True)
class Governance:
    decisions: tuple[Decision, ...] = ()
    bodies: tuple[Body, ...] = ()
    as_of: date | None = None


@dataclass(frozen=True)
class Count:
    code: str
    count: int


@dataclass(frozen=True)
class Initiatives:
    total: int
    new_in_year: int
    by_phase: tuple[Count, ...]
    by_leefgebied: tuple[Count, ...]
    by_target_group: tuple[Count, ...]


@dataclass(frozen=True)
class OutcomeRow:
    initiative: str
    slug: str
    value: int
    source: str


@dataclass(frozen=True)
class Outcome:
    """One indicator: the total of what initiatives recorded, and who recorded what."""

    code: str
    total: int
    initiatives: int
    rows: tuple[OutcomeRow, ...] = ()


@dataclass(frozen=True)
class Plan:
    """A plan of a budget round: its votes and, when it was not paid for, why (in words)."""

    number: int
    title: str
    cost: Decimal
    votes: int
    funded: bool
    why_not: str = ""
    # Fewer votes than the round's minimum share (`BudgetRound.min_vote_percent`); reports
    # frozen before this was recorded say False.
    below_minimum: bool = False


@dataclass(frozen=True)
class BudgetRound:
    id: int
    title: str
    area: str
    fund: str
    status: str
    status_label: str
    budget: Decimal
    ballots: int
    funded_count: int
    funded_total: Decimal
    plans: tuple[Plan, ...] = ()
    # The least share of the votes a plan needs to be paid for (0: no minimum).
    min_vote_percent: int = 0


@dataclass(frozen=True)
class AnnexFile:
    name: str
    format: str
    path: str
    sha256: str
    size: int
    rows: int


@dataclass(frozen=True)
class CategoryCheck:
    """One category of money (the annex's `categorie`, e.g. `van_gemeente`): the report's
    figure and the annex's sum, money out said positive."""

    category: str
    report: Decimal
    annex: Decimal
    matches: bool

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS.get(self.category, self.category))


@dataclass(frozen=True)
class AnnexCheck:
    """Per fund: the annex's rows and sums next to the report's figures."""

    fund: str
    slug: str
    lines: int
    annex_rows: int
    total_in: Decimal
    annex_in: Decimal
    total_out: Decimal
    annex_out: Decimal
    change: Decimal
    opening: Decimal
    closing: Decimal
    matches: bool
    # Per category of money; reports frozen before the annex had `categorie` have none.
    by_category: tuple[CategoryCheck, ...] = ()


@dataclass(frozen=True)
class Annex:
    files: tuple[AnnexFile, ...] = ()
    reconciliation: tuple[AnnexCheck, ...] = ()


@dataclass(frozen=True)
class Content:
    """Everything an annual report says; rendered in either language from this alone."""

    year: int
    municipality: str
    generated_at: datetime
    initiatives: Initiatives
    outcomes: tuple[Outcome, ...] = ()
    interim: bool = False
    as_of: date | None = None
    area: Named | None = None
    funds: tuple[Fund, ...] = ()
    contracts: tuple[Contract, ...] = ()
    spending_by_leefgebied: tuple[Amount, ...] = ()
    spending_by_target_group: tuple[Amount, ...] = ()
    governance: Governance = field(default_factory=Governance)
    budget_rounds: tuple[BudgetRound, ...] = ()
    annex: Annex | None = None
    # The report's version number, frozen with it (printed on every page, and in the annex's
    # web addresses); None in content made before it was kept, and in a preview.
    version: int | None = None
