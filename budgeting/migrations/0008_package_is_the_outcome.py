"""A budget round's package is exactly its outcome, checked by PostgreSQL at commit.

Insider review 2026-12-05 (docs/reviews/2026-12-05-budget.md, F6b): the application's own
database role added a line to a round's draft package (line 99, for an initiative of its
choice); the board adopted the package, and carrying it out paid that line. Now, at the end of
every transaction that writes a package line, changes a package or points a round at one, the
package must be the round's outcome: one line per funded plan (line number = plan number), at
the plan's cost on the ballot, for the plan's initiative, and the package's amount is the sum.
A package no round points to is refused: only a budget round makes packages
(`governance.services.create_package_proposal`, called by `budgeting.services.submit_to_board`).
And a funded plan without an initiative gets one only in the transaction that puts its round to
the board (before, the application's role could give it one of its choice while the round was
computed, and the civil servant's step then put that initiative in the package).

Deferred (constraint triggers, INITIALLY DEFERRED), because the service writes the proposal, its
lines and the round's link one after the other in one transaction. SQLite has no triggers; there
the service is the only writer (the tests in tests/integration/test_budget_package.py).
"""

from django.db import migrations

PACKAGE_IS_THE_OUTCOME = """
CREATE OR REPLACE FUNCTION budgeting_package_is_the_outcome(package bigint) RETURNS void AS $$
DECLARE
    its_kind text;
    its_amount numeric;
    its_round bigint;
    funded jsonb;
    line_count integer;
    line_total numeric;
    matching integer;
BEGIN
    SELECT p.kind, p.amount INTO its_kind, its_amount FROM governance_proposal p WHERE p.id = package;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT r.id, r.outcome -> 'mes' INTO its_round, funded
        FROM budgeting_round r WHERE r.proposal_id = package;
    IF its_round IS NULL THEN
        IF its_kind = 'fund_package' THEN
            RAISE EXCEPTION 'budgeting: package % is made by a budget round, with its round',
                package;
        END IF;
        RETURN;
    END IF;
    IF its_kind <> 'fund_package' OR jsonb_typeof(funded) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'budgeting: round % goes to the board with a package of its outcome',
            its_round;
    END IF;
    SELECT count(*), coalesce(sum(l.amount), 0) INTO line_count, line_total
        FROM governance_proposalline l WHERE l.proposal_id = package;
    SELECT count(*) INTO matching
        FROM governance_proposalline l
        JOIN budgeting_plan pl ON pl.round_id = its_round
                              AND pl.number = l.position
        WHERE l.proposal_id = package
          AND funded @> to_jsonb(pl.number)
          AND l.amount = coalesce(pl.reviewed_cost, pl.cost)
          AND l.initiative_id = pl.initiative_id;
    IF line_count <> jsonb_array_length(funded) OR matching <> line_count
            OR its_amount IS DISTINCT FROM line_total THEN
        RAISE EXCEPTION 'budgeting: package % is not the outcome of round %: one line per '
            'funded plan, at its cost, for its initiative, and their sum as its amount',
            package, its_round;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION budgeting_package_line_checked() RETURNS trigger AS $$
BEGIN
    PERFORM budgeting_package_is_the_outcome(NEW.proposal_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION budgeting_package_checked() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.kind = 'fund_package' AND NEW.kind IS DISTINCT FROM OLD.kind THEN
        RAISE EXCEPTION 'budgeting: a package stays a package';
    END IF;
    PERFORM budgeting_package_is_the_outcome(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION budgeting_round_package_checked() RETURNS trigger AS $$
BEGIN
    PERFORM budgeting_package_is_the_outcome(NEW.proposal_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION budgeting_plan_initiative_checked() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM budgeting_round WHERE id = NEW.round_id
                   AND proposal_id IS NOT NULL) THEN
        RAISE EXCEPTION 'budgeting: a funded plan gets its initiative in the step that puts '
            'its round to the board, not before';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER budgeting_plan_initiative_checked
    AFTER UPDATE OF initiative_id ON budgeting_plan DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.initiative_id IS NULL AND NEW.initiative_id IS NOT NULL AND OLD.locked)
    EXECUTE FUNCTION budgeting_plan_initiative_checked();
CREATE CONSTRAINT TRIGGER budgeting_package_line_checked
    AFTER INSERT ON governance_proposalline DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION budgeting_package_line_checked();
CREATE CONSTRAINT TRIGGER budgeting_package_checked
    AFTER INSERT ON governance_proposal DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.kind = 'fund_package')
    EXECUTE FUNCTION budgeting_package_checked();
CREATE CONSTRAINT TRIGGER budgeting_package_changed_checked
    AFTER UPDATE ON governance_proposal DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.kind = 'fund_package' OR NEW.kind = 'fund_package')
    EXECUTE FUNCTION budgeting_package_checked();
CREATE CONSTRAINT TRIGGER budgeting_round_package_checked
    AFTER INSERT OR UPDATE OF proposal_id ON budgeting_round DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.proposal_id IS NOT NULL)
    EXECUTE FUNCTION budgeting_round_package_checked();
"""

PACKAGE_RULES_GONE = """
DROP TRIGGER IF EXISTS budgeting_plan_initiative_checked ON budgeting_plan;
DROP FUNCTION IF EXISTS budgeting_plan_initiative_checked();
DROP TRIGGER IF EXISTS budgeting_round_package_checked ON budgeting_round;
DROP TRIGGER IF EXISTS budgeting_package_changed_checked ON governance_proposal;
DROP TRIGGER IF EXISTS budgeting_package_checked ON governance_proposal;
DROP TRIGGER IF EXISTS budgeting_package_line_checked ON governance_proposalline;
DROP FUNCTION IF EXISTS budgeting_round_package_checked();
DROP FUNCTION IF EXISTS budgeting_package_checked();
DROP FUNCTION IF EXISTS budgeting_package_line_checked();
DROP FUNCTION IF EXISTS budgeting_package_is_the_outcome(bigint);
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0007_round_freezes_its_electorate"),
        ("governance", "0027_participation_tells_the_voter"),
    ]

    operations = [
        migrations.RunPython(
            _on_postgresql(PACKAGE_IS_THE_OUTCOME), _on_postgresql(PACKAGE_RULES_GONE)
        ),
    ]
