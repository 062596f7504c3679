"""The content of an annual report as typed, frozen data, and the one codec that stores it.

`reports.content` builds a `Content`; `dump` turns it into the JSON kept in
`AnnualReport.snapshot`, and `load` turns that JSON back into the same `Content` for the page and
the PDF. Both directions are driven by the dataclasses below, so what is written and what is read
cannot drift apart.

The stored shape: every dataclass becomes an object with its field names as keys; money and other
`Decimal`s are strings (`"1250.00"`), dates and moments ISO 8601, tuples lists. The top object
carries `schema_version`.

Versions:

1. Reports frozen before the snapshot had a version (no `schema_version` key). Same keys as
   version 2; the oldest of them lack what was added later (`interim`/`as_of`, `in_by_source`,
   `allocated_open`, `annex`, ...), which load as their defaults.
2. This module: the same keys, with `schema_version` written.

A snapshot of a version this code does not know (made by newer code), or data that does not fit
the types, raises `SnapshotError`; the report page then says the report cannot be shown, it does
not fail with a traceback. Published versions are never rewritten: a change of shape gets a new
version number here and a way to read the old one.
"""

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from governance import tally
from governance.models import Proposal
from governance.tally import TallyResult
from sroi.models import Transaction

# The real classes, kept where freezegun (which swaps the module attributes `date` and `datetime`
# in tests) does not reach, so that the annotations below are recognised under frozen time too.
_REAL = {"date": date, "datetime": datetime}

SCHEMA_VERSION = 2
# Versions `load` can read; 1 is the unversioned shape written before this module.
READABLE_VERSIONS = (1, 2)


class SnapshotError(ValueError):
    """A stored report content this code cannot read: an unknown version or broken data."""


def label(choices, code: str) -> str:
    """The label of a stored choice in the active language; the code itself if it has none."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


# --- the content ------------------------------------------------------------------------------


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
    def explanation(self) -> str:
        """The tally in words, in the active language ("" without a tally)."""
        return tally.explain(self.tally) if self.tally else ""


@dataclass(frozen=True)
class Line:
    """One transaction of a fund in the year, with the amount it counts for on its side."""

    transaction: int
    date: date
    kind: str
    counts_as: str
    amount: Decimal
    correction: bool = False
    reason: str = ""
    description: str = ""
    contract: ContractRef | None = None
    initiative: Named | None = None
    decision: DecisionRef | None = None

    @property
    def kind_label(self) -> str:
        return label(Transaction.Kind, self.kind)


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
    block: str
    amount: Decimal


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


# --- the codec --------------------------------------------------------------------------------


def dump(content: Content) -> dict:
    """`content` as JSON-safe data, with the schema version: what `AnnualReport.snapshot` holds."""
    return {"schema_version": SCHEMA_VERSION, **encode(content)}


def load(data: object) -> Content:
    """The `Content` of a stored snapshot (any version in `READABLE_VERSIONS`).

    Raises `SnapshotError` for a version this code does not know or data that does not fit.
    """
    if not isinstance(data, dict):
        raise SnapshotError(f"a report snapshot is an object, not {type(data).__name__}")
    version = data.get("schema_version", 1)
    if version not in READABLE_VERSIONS:
        raise SnapshotError(
            f"report snapshot version {version!r} is not one this code reads {READABLE_VERSIONS}"
        )
    return decode(Content, {k: v for k, v in data.items() if k != "schema_version"})


def encode(value: object) -> object:
    """A dataclass (or a value inside one) as JSON-safe data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, _REAL["date"]):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store {type(value).__name__} in a report snapshot")


def decode(kind, data: object):
    """`data` (as written by `encode`) read back as `kind`; raises `SnapshotError`."""
    try:
        return _reader(kind)(data)
    except SnapshotError as error:
        raise SnapshotError(f"the report snapshot does not fit: content{error}") from error
    except (TypeError, ValueError, InvalidOperation) as error:
        raise SnapshotError(f"the report snapshot does not fit: {error}") from error


# A reader per type, made once from the annotations: a big year's snapshot holds thousands of
# lines, and the page reads it on every view.
_Reader = typing.Callable[[object], object]


@functools.cache
def _reader(kind) -> _Reader:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in args if arg is not type(None)]
        read_inner = _reader(inner)
        return lambda data: None if data is None else read_inner(data)
    if origin is tuple:
        return _tuple_reader(_reader(args[0]))
    if dataclasses.is_dataclass(kind):
        return _dataclass_reader(kind)
    if kind is Decimal:
        return _checked(str, Decimal)
    if kind is _REAL["datetime"]:
        return _checked(str, _REAL["datetime"].fromisoformat)
    if kind is _REAL["date"]:
        return _checked(str, _REAL["date"].fromisoformat)
    if kind is int:
        return _whole_number
    if kind in (bool, str):
        return _checked(kind, None)
    raise TypeError(f"the snapshot has no way to read {kind!r}")  # pragma: no cover


def _checked(json_type: type, convert) -> _Reader:
    def read(data):
        if not isinstance(data, json_type):
            raise SnapshotError(
                f": expected {json_type.__name__}, found {type(data).__name__} {data!r:.40}"
            )
        if convert is None:
            return data
        try:
            return convert(data)
        except (ValueError, InvalidOperation) as error:
            raise SnapshotError(f": cannot read {data!r:.40}") from error

    return read


def _whole_number(data):
    if not isinstance(data, int) or isinstance(data, bool):
        raise SnapshotError(f": expected a whole number, found {data!r:.40}")
    return data


def _tuple_reader(read_item: _Reader) -> _Reader:
    def read(data):
        if type(data) is not list:
            raise SnapshotError(f": expected a list, found {type(data).__name__}")
        items = []
        for index, item in enumerate(data):
            try:
                items.append(read_item(item))
            except SnapshotError as error:
                raise SnapshotError(f"[{index}]{error}") from error
        return tuple(items)

    return read


def _dataclass_reader(kind) -> _Reader:
    hints = typing.get_type_hints(kind)
    fields = [
        (
            f.name,
            _reader(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(kind)
    ]

    def read(data):
        if type(data) is not dict:
            raise SnapshotError(f": expected an object, found {type(data).__name__}")
        values = {}
        for name, read_field, required in fields:
            if name in data:
                try:
                    values[name] = read_field(data[name])
                except SnapshotError as error:
                    raise SnapshotError(f".{name}{error}") from error
            elif required:
                raise SnapshotError(f".{name} is missing")
        # Keys no field knows (an older shape kept more) are left out: they are not shown.
        return kind(**values)

    return read
