"""What the public sees of realisations: counted in groups, never one person at a time.

A realisation of a placement (a person-year block, hours, a bonus) is about one person: with
the contract's contractor, dates, hours per week and a target group such as "descendants of the
slavery past", "disability benefit" or "refugee with a residence permit" (close to special
categories of personal data under the GDPR: ethnic origin, health), one row could point at a
person on a building site. So every public output (open data `realisaties`, the public contract
page, the annual report) shows the table that `published_cells` makes, and nothing finer:

* one cell per contract, year of verification, building block and target group, with the number
  of distinct persons, realisations, person-years or hours, and the value;
* a cell about persons with fewer than `settings.OPEN_DATA_MIN_COUNT` (5) distinct persons is not
  shown at all (not even that it exists: its target group would be the disclosure); its value,
  persons and realisations are folded into one row "other" of that contract and year, so the
  values still add up to the contract's verified value, the ledger's and the report's;
* complementary suppression: while the "other" row holds fewer than the threshold of persons
  (say one suppressed cell of one person, whose value the row would show as it is), the smallest
  shown cell about persons of the same contract and year is folded in too, until the row holds
  at least the threshold or every cell about persons is in it. Then the row is the only figure
  about persons of that contract and year: the total, without block, target group or count
  (its persons and hours are shown only from the threshold up). So no suppressed cell can be
  recomputed by subtracting the shown cells from the contract's total;
* blocks that are not about a person (a purchase from a social enterprise, a cash payment) are
  cells of their own per contract, year and block, without target group, never suppressed.

Staff pages (`realisations_for_staff`) keep every realisation. Written up in
docs/privacy-open-data.md.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import BuildingBlock, Realisation, TargetGroup
from .valuation import ZERO

# Block kinds whose realisations are about one person each.
PERSON_KINDS = frozenset(
    {BuildingBlock.Kind.PERSON_YEAR, BuildingBlock.Kind.HOURLY, BuildingBlock.Kind.BONUS}
)
FULL_TIME = Decimal(36)
CENT = Decimal("0.01")


def min_count() -> int:
    """The least number of distinct persons a shown cell holds (`OPEN_DATA_MIN_COUNT`)."""
    return max(int(settings.OPEN_DATA_MIN_COUNT), 1)


@dataclass
class Cell:
    """One row of the public table. In the "other" row (`folded`) block and target group are
    None; `persons`, `realisations`, `person_years` and `hours` are None where not shown."""

    contract_id: int
    contract: str
    year: int
    block_code: str | None
    block: str | None
    block_kind: str | None
    target_group: str | None
    value: Decimal
    persons: int | None = None
    realisations: int | None = None
    person_years: Decimal | None = None
    hours: Decimal | None = None
    folded: bool = False
    position: int = 0

    @property
    def about_persons(self) -> bool:
        return self.folded or self.block_kind in PERSON_KINDS

    @property
    def target_group_label(self) -> str:
        if not self.target_group:
            return ""
        try:
            return str(TargetGroup(self.target_group).label)
        except ValueError:
            return self.target_group


@dataclass
class _Group:
    """The realisations of one cell before it is published: who, how many, how much."""

    key: tuple
    about_persons: bool
    name: str = ""
    kind: str = ""
    people: set = field(default_factory=set)
    realisations: int = 0
    person_years: Decimal = ZERO
    hours: Decimal = ZERO
    value: Decimal = ZERO

    def add(self, row: dict) -> None:
        self.people.add(row["person_reference"] or f"#{row['pk']}")
        self.realisations += 1
        self.value += row["value"]
        if row["block__kind"] == BuildingBlock.Kind.PERSON_YEAR:
            hours = min(row["hours_per_week"] or ZERO, FULL_TIME)
            self.person_years += hours / FULL_TIME * (row["months"] or ZERO) / 12
        if row["block__kind"] == BuildingBlock.Kind.HOURLY:
            self.hours += row["quantity"] or ZERO


_VALUES = (
    "pk",
    "contract_id",
    "contract__reference",
    "decided_at",
    "block__code",
    "block__name",
    "block__kind",
    "block__position",
    "target_group",
    "person_reference",
    "months",
    "hours_per_week",
    "quantity",
    "value",
)


def published_cells(realisations: QuerySet[Realisation]) -> list[Cell]:
    """The public table of `realisations` (verified ones; the caller filters), ordered by contract,
    year and block, each contract's year closing with its "other" row if it has one. One query."""
    threshold = min_count()
    groups: dict[tuple, dict[tuple, _Group]] = defaultdict(dict)
    rows = realisations.order_by().values(*_VALUES)
    for row in rows.iterator(chunk_size=2_000):
        year = timezone.localtime(row["decided_at"]).year
        about_persons = row["block__kind"] in PERSON_KINDS
        block = (row["block__position"], row["block__code"])
        key = (*block, row["target_group"] if about_persons else "")
        table = groups[(row["contract__reference"], year, row["contract_id"])]
        if key not in table:
            table[key] = _Group(
                key=key,
                about_persons=about_persons,
                name=row["block__name"],
                kind=row["block__kind"],
            )
        table[key].add(row)
    cells = []
    for (reference, year, contract_id), table in sorted(groups.items()):
        shown, folded = fold(list(table.values()), threshold)
        for group in sorted(shown, key=lambda g: g.key):
            position, code, target_group = group.key
            kind = group.kind
            cells.append(
                Cell(
                    contract_id=contract_id,
                    contract=reference,
                    year=year,
                    block_code=code,
                    block=group.name,
                    block_kind=kind,
                    target_group=target_group or None,
                    value=group.value,
                    persons=len(group.people) if group.about_persons else None,
                    realisations=group.realisations,
                    person_years=_rounded(
                        group.person_years, kind == BuildingBlock.Kind.PERSON_YEAR
                    ),
                    hours=_rounded(group.hours, kind == BuildingBlock.Kind.HOURLY),
                    position=position,
                )
            )
        if folded:
            cells.append(_other(folded, contract_id, reference, year, threshold))
    return cells


def fold(groups: list[_Group], threshold: int) -> tuple[list[_Group], list[_Group]]:
    """(shown, folded): cells about persons under the threshold are folded, then the smallest
    shown ones too while the folded persons together are fewer than the threshold (see the
    module's docstring)."""
    others = [g for g in groups if not g.about_persons]
    persons = sorted((g for g in groups if g.about_persons), key=lambda g: (len(g.people), g.key))
    folded = [g for g in persons if len(g.people) < threshold]
    kept = [g for g in persons if len(g.people) >= threshold]
    while folded and kept and len(set().union(*(g.people for g in folded))) < threshold:
        folded.append(kept.pop(0))
    return others + kept, folded


def _other(folded: list[_Group], contract_id: int, reference: str, year: int, threshold: int):
    people = set().union(*(g.people for g in folded))
    enough = len(people) >= threshold
    return Cell(
        contract_id=contract_id,
        contract=reference,
        year=year,
        block_code=None,
        block=None,
        block_kind=None,
        target_group=None,
        value=sum((g.value for g in folded), ZERO),
        persons=len(people) if enough else None,
        realisations=sum(g.realisations for g in folded) if enough else None,
        person_years=_rounded(sum((g.person_years for g in folded), ZERO), enough),
        hours=_rounded(sum((g.hours for g in folded), ZERO), enough),
        folded=True,
        position=10**6,
    )


def _rounded(amount: Decimal, shown: bool) -> Decimal | None:
    return amount.quantize(CENT) if shown else None
