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
2. The same keys, with `schema_version` written.
3. The stored codes in English (`adopted`, `disbursement`, …; issue 19). Versions 1 and 2 are
   read with their Dutch codes renamed (`upgrade.py`), so old reports read as they did.

A snapshot of a version this code does not know (made by newer code), or data that does not fit
the types, raises `SnapshotError`; the report page then says the report cannot be shown, it does
not fail with a traceback. Published versions are never rewritten: a change of shape gets a new
version number here and a way to read the old one.

Two modules: `content` (the dataclasses) and `codec` (dump, load, versions). Import the
package: `from reports import snapshot; snapshot.load(data)`.
"""

from .codec import (
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    SnapshotError,
    decode,
    dump,
    encode,
    load,
)
from .content import (
    Amount,
    Annex,
    AnnexCheck,
    AnnexFile,
    Body,
    BudgetRound,
    CategoryCheck,
    Content,
    Contract,
    ContractRef,
    Count,
    Decision,
    DecisionRef,
    Fund,
    Governance,
    InBySource,
    Initiatives,
    InKind,
    Line,
    Named,
    OutByKind,
    Outcome,
    OutcomeRow,
    Plan,
    label,
)

__all__ = [
    "Amount",
    "Annex",
    "AnnexCheck",
    "AnnexFile",
    "Body",
    "BudgetRound",
    "CategoryCheck",
    "Content",
    "Contract",
    "ContractRef",
    "Count",
    "Decision",
    "DecisionRef",
    "Fund",
    "Governance",
    "InBySource",
    "InKind",
    "Initiatives",
    "Line",
    "Named",
    "OutByKind",
    "Outcome",
    "OutcomeRow",
    "Plan",
    "READABLE_VERSIONS",
    "SCHEMA_VERSION",
    "SnapshotError",
    "decode",
    "dump",
    "encode",
    "label",
    "load",
]
