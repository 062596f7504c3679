"""Reading snapshots written before the stored codes became English (schema versions 1 and 2).

Issue 19 renamed the stored values of our enums (`aangenomen` → `adopted`, `uitbetaling` →
`disbursement`, …; the migrations named `*_english_stored_values` convert the database). A frozen
report is never rewritten, so its snapshot keeps the old codes; `upgrade` gives the same content
with the new codes, field by field, so labels and explanations read as before. Codes from
standards (VNG leefgebieden, phases, target groups of Socialization+) were not renamed and are
left alone; a field is renamed only where its dataclass and name say which enum it holds.
"""

import dataclasses
from importlib import import_module

from governance.tally import TallyResult

from .content import Body, Content, DecisionRef, InKind, Line, Outcome

# The renames are the migrations' own (one source: what converted the database converts the
# old snapshots).
_sroi = import_module("sroi.migrations.0007_english_stored_values")
_governance = import_module("governance.migrations.0013_english_stored_values")
_reports = import_module("reports.migrations.0004_english_stored_values")
TRANSACTION_KIND = _sroi.TRANSACTION_KINDS
BUILDING_BLOCK = _sroi.BLOCK_KINDS
PROPOSAL_STATUS = _governance.STATUS
BODY_KIND = _governance.KIND
INDICATOR = _reports.INDICATORS

# (dataclass, field) -> old code -> new code. A subclass (Decision of DecisionRef) inherits.
RENAMED = {
    (Line, "kind"): TRANSACTION_KIND,
    (Line, "counts_as"): TRANSACTION_KIND,
    (DecisionRef, "outcome"): PROPOSAL_STATUS,
    (TallyResult, "outcome"): PROPOSAL_STATUS,
    (Body, "kind"): BODY_KIND,
    (InKind, "block"): BUILDING_BLOCK,
    (Outcome, "code"): INDICATOR,
}


def _renamed(value):
    if isinstance(value, tuple):
        return tuple(_renamed(item) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for field in dataclasses.fields(value):
        old = getattr(value, field.name)
        new = _renamed(old)
        for kind in type(value).__mro__:
            mapping = RENAMED.get((kind, field.name))
            if mapping is not None and isinstance(old, str):
                new = mapping.get(old, old)
                break
        if new is not old:
            changes[field.name] = new
    return dataclasses.replace(value, **changes) if changes else value


def upgrade(content: Content) -> Content:
    """`content` of a version 1 or 2 snapshot with today's codes."""
    return _renamed(content)
