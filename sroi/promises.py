"""Money of a fund that is promised, though not yet allocated: apps above the ledger say which.

A budget round promises its budget to its residents from freezing until its package is booked or
the community board rejects it (`budgeting`). The ledger knows nothing of rounds (it is the lower
layer, docs/architecture.md), so budgeting registers its promises here in its
`AppConfig.ready()`:

    promises.register("budgeting.rounds", promised)

`promised(fund, decision_id)` returns the promises over `fund` as `Promise`s, leaving out the one
the decision `decision_id` keeps (a round's own package, which pays what its round promised);
`decision_id` None leaves out nothing. `sroi.services.allocate` refuses an allocation that would
take promised money, and the warning on an allocation proposal counts it; on PostgreSQL a
trigger refuses the same (budgeting migration 0011).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .valuation import ZERO


@dataclass(frozen=True)
class Promise:
    """`amount` of a fund promised by `name` (a budget round's title)."""

    name: str
    amount: Decimal


Source = Callable[[object, int | None], list[Promise]]
_sources: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    """Add (or replace) the source `name`; idempotent, so a second `ready()` changes nothing."""
    _sources[name] = source


def promised(fund, *, decision_id: int | None = None) -> list[Promise]:
    """Every promise over `fund`, but the one the decision `decision_id` keeps."""
    return [promise for source in _sources.values() for promise in source(fund, decision_id)]


def total(promises: list[Promise]) -> Decimal:
    return sum((promise.amount for promise in promises), ZERO)


def free(available: Decimal, promises: list[Promise]) -> Decimal:
    """What of `available` is not promised (never below zero)."""
    return max(available - total(promises), ZERO)


def named(promises: list[Promise]) -> str:
    """The promises' names, for a sentence: "Ronde A, Ronde B"."""
    return ", ".join(promise.name for promise in promises)
