"""The database's rules of the Community Home tables (governance/models/officing.py), as the
text of their triggers' functions: our constants only, never input (fixed in the migrations)."""

import pgtrigger

# Nothing new happens at a closed location: no poll offered, no shift, no check-in, paper count
# or budget ballot there (the services refuse first, with a message, under the location's
# lock; `officing.close_location`). The database refuses it too, against a script or the psql
# prompt: a row that names a closed location is not written, nor moved to one.
CLOSED_LOCATION_REFUSED = (
    "IF NEW.location_id IS NOT NULL AND EXISTS (SELECT 1 FROM governance_location"
    " WHERE id = NEW.location_id AND closed_at IS NOT NULL) THEN"
    " RAISE EXCEPTION 'governance: nothing new at a closed location (%)', TG_TABLE_NAME;"
    " END IF;"
    " RETURN NEW;"
)


def not_at_a_closed_location(name: str) -> pgtrigger.Trigger:
    """The trigger of `CLOSED_LOCATION_REFUSED` for a table with a `location` column."""
    return pgtrigger.Trigger(
        name=name,
        operation=pgtrigger.Insert | pgtrigger.UpdateOf("location_id"),
        when=pgtrigger.Before,
        func=CLOSED_LOCATION_REFUSED,
    )


# The tables whose rows name the shift they were recorded in (every `on_delete=PROTECT`
# relation to `OfficerShift`; `tests/governance/test_community_home_triggers.py` checks that
# none is left out). Our constants only, never input: the text is fixed in the migration.
SHIFT_RECORDS = (
    ("governance_checkin", "shift_id"),
    ("governance_papercount", "shift_id"),
    ("budgeting_ballot", "shift_id"),
)
_RECORDED = " OR ".join(
    f"EXISTS (SELECT 1 FROM {table} WHERE {column} = OLD.id)"  # noqa: S608 - constants
    for table, column in SHIFT_RECORDS
)
# A shift that has started, or one with something recorded in it, stays as it is: not moved,
# not given to another officer, not removed (the services refuse first, with a message;
# `officing.change_shift`, `officing.cancel_shift`). An UPDATE that changes nothing passes.
# The words of its refusal, which `officing.shifts` recognises (a refusal the services did not
# foresee: the database's clock runs ahead of the web server's).
SHIFT_KEPT_REFUSAL = "a shift that has started or has records"
SHIFT_KEPT = (
    f"IF OLD.starts_at <= now() OR {_RECORDED} THEN"
    " IF TG_OP = 'DELETE' THEN"
    f" RAISE EXCEPTION 'governance: {SHIFT_KEPT_REFUSAL} is not removed';"
    " END IF;"
    " IF NEW IS DISTINCT FROM OLD THEN"
    f" RAISE EXCEPTION 'governance: {SHIFT_KEPT_REFUSAL} is not changed';"
    " END IF;"
    " END IF;"
    " IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;"
    " RETURN NEW;"
)


# A sealed paper count has no more envelopes or ballots than paper check-ins in its batch, and
# records that number: an explanation covers fewer, never more (`officing.confirm_paper_count`
# refuses first, with a message).
PAPER_SEAL_WITHIN_CHECK_INS = (
    "SELECT * INTO c FROM governance_papercount WHERE id = NEW.count_id; "
    "SELECT count(*) INTO came FROM governance_checkin "
    "WHERE proposal_id = c.proposal_id AND location_id = c.location_id "
    "AND (c.shift_id IS NULL OR shift_id = c.shift_id) AND channel = 'paper'; "
    "IF c.envelopes > came "
    "OR c.voor + c.tegen + c.onthouding + c.blank + c.invalid > came "
    "OR NEW.check_ins IS DISTINCT FROM came THEN RAISE EXCEPTION "
    "'governance: paper count % has more envelopes or ballots than its % paper "
    "check-ins, or another number of them', c.id, came; END IF; RETURN NEW;"
)
