from django.db import migrations

# A frozen round's budget is promised to its residents until its package is carried out or the
# community board rejects it (budgeting.services.base.PROMISED). The services refuse to promise
# that money twice (`budget_now`) and to allocate it elsewhere (`sroi.services.allocate`, through
# `sroi.promises`); PostgreSQL refuses the same at commit, whoever writes (raw SQL with the
# application's credentials, a script, a shell): a fund's available money is never less than
# what its rounds promised, checked when an allocation is written and when a round starts to
# promise (it is frozen, or written frozen). A correction of the ledger may still lower the
# available money (what happened is recorded); no allocation is made from the fund then until
# money comes in or a round's promise ends. The fund's row is locked first, as the ledger's own
# rules do, so two writers check one after the other (READ COMMITTED, also as the ledger).
PROMISES_KEPT = r"""
CREATE OR REPLACE FUNCTION budgeting_fund_keeps_its_promises(fund bigint) RETURNS void AS $$
DECLARE
    free numeric;
    promised numeric;
BEGIN
    PERFORM sroi_ledger_read_committed();
    PERFORM 1 FROM sroi_fund WHERE id = fund FOR UPDATE;
    SELECT coalesce(sum(e.amount), 0) INTO free
        FROM sroi_entry e JOIN sroi_account ac ON ac.id = e.account_id
        WHERE ac.fund_id = fund AND ac.kind = 'available';
    SELECT coalesce(sum(r.budget), 0) INTO promised
        FROM budgeting_round r LEFT JOIN governance_proposal p ON p.id = r.proposal_id
        WHERE r.fund_id = fund AND r.status IN ('frozen', 'voting', 'computed', 'adoption')
          AND (p.id IS NULL OR p.status NOT IN ('executed', 'rejected'));
    IF free < promised THEN
        RAISE EXCEPTION 'budgeting: fund % has % available, less than the % its budget rounds '
            'promised', fund, free, promised;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION budgeting_allocation_keeps_promises() RETURNS trigger AS $$
BEGIN
    PERFORM budgeting_fund_keeps_its_promises(NEW.fund_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION budgeting_round_promises_free_money() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT'
            OR OLD.status NOT IN ('frozen', 'voting', 'computed', 'adoption')
            OR OLD.fund_id IS DISTINCT FROM NEW.fund_id
            OR OLD.budget IS DISTINCT FROM NEW.budget THEN
        PERFORM budgeting_fund_keeps_its_promises(NEW.fund_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER budgeting_allocation_keeps_promises AFTER INSERT ON sroi_allocation
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION budgeting_allocation_keeps_promises();
CREATE CONSTRAINT TRIGGER budgeting_round_promises_free_money
    AFTER INSERT OR UPDATE ON budgeting_round
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.status IN ('frozen', 'voting', 'computed', 'adoption'))
    EXECUTE FUNCTION budgeting_round_promises_free_money();
"""

PROMISES_GONE = """
DROP TRIGGER IF EXISTS budgeting_round_promises_free_money ON budgeting_round;
DROP TRIGGER IF EXISTS budgeting_allocation_keeps_promises ON sroi_allocation;
DROP FUNCTION IF EXISTS budgeting_round_promises_free_money();
DROP FUNCTION IF EXISTS budgeting_allocation_keeps_promises();
DROP FUNCTION IF EXISTS budgeting_fund_keeps_its_promises(bigint);
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0010_plan_on_the_ballot_fits_the_budget"),
        ("governance", "0029_decision_numbers_per_year"),
        ("sroi", "0013_reversal_reason_category"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(PROMISES_KEPT), _on_postgresql(PROMISES_GONE)),
    ]
