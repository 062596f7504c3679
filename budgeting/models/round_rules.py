"""The database's rules for a round's course, its plans and its ballots (PL/pgSQL of triggers in
rounds.py and ballots.py; our constants only, never input). Written after the insider review of
2026-12-05 (docs/reviews/2026-12-05-budget.md): with the application's own database role a
closed round reopened, a plan was moved into a voting round, an outcome nobody voted for went to
the board, and choices were added to other people's ballots."""

# A round moves forward only, one step at a time; what a step needs is there (frozen: every
# plan on the ballot costs at most the budget; its plans are locked then, the budget too).
ROUND_MOVES_FORWARD = """
IF NEW.status IS DISTINCT FROM OLD.status AND (OLD.status, NEW.status) NOT IN (
    ('draft', 'ideas'), ('ideas', 'review'), ('review', 'frozen'), ('frozen', 'voting'),
    ('voting', 'computed'), ('computed', 'adoption'), ('adoption', 'committed'),
    ('adoption', 'rejected'), ('committed', 'reporting'), ('rejected', 'reporting')
) THEN
    RAISE EXCEPTION 'budgeting: a round goes from % to the next step only, not to %',
        OLD.status, NEW.status;
END IF;
IF NEW.status = 'frozen' AND OLD.status = 'review' AND EXISTS (
        SELECT 1 FROM budgeting_plan WHERE round_id = NEW.id AND number IS NOT NULL
          AND COALESCE(reviewed_cost, cost) > NEW.budget) THEN
    RAISE EXCEPTION 'budgeting: a plan on the ballot costs at most the round''s budget';
END IF;
IF OLD.computed_at IS NULL AND NEW.computed_at IS NOT NULL
        AND NOT (OLD.status = 'voting' AND NEW.status = 'computed') THEN
    RAISE EXCEPTION 'budgeting: an outcome is written only when voting ends';
END IF;
IF NEW.status = 'computed' AND OLD.status = 'voting'
        AND (NEW.outcome IS NULL OR NEW.computed_at IS NULL) THEN
    RAISE EXCEPTION 'budgeting: a round is computed with its outcome';
END IF;
IF NEW.status = 'adoption' AND OLD.status = 'computed' AND NEW.proposal_id IS NULL THEN
    RAISE EXCEPTION 'budgeting: a round goes to the board with its package';
END IF;
IF NEW.status = 'committed' AND OLD.status = 'adoption' AND NOT EXISTS (
        SELECT 1 FROM governance_proposal WHERE id = NEW.proposal_id AND status = 'executed') THEN
    RAISE EXCEPTION 'budgeting: a round is committed only when its package was carried out';
END IF;
IF NEW.status = 'rejected' AND OLD.status = 'adoption' AND (NEW.rejection_reason = ''
        OR NOT EXISTS (SELECT 1 FROM governance_proposal
                       WHERE id = NEW.proposal_id AND status = 'rejected')) THEN
    RAISE EXCEPTION 'budgeting: a round is rejected only when the board rejected it, with why';
END IF;
IF NEW.rejection_reason IS DISTINCT FROM OLD.rejection_reason AND NEW.status <> 'rejected' THEN
    RAISE EXCEPTION 'budgeting: a reason for rejection goes only with the rejection';
END IF;
RETURN NEW;
"""

# A round is computed after voting closes, by the database's own clock, and its outcome is dated
# at or after the closing time: computed earlier by SQL, the round would stop taking ballots
# (they are cast only while it votes) with an outcome of the ballots so far.
STILL_VOTING = "a round is computed after voting closes, not before"
COMPUTED_AFTER_CLOSING = f"""
IF OLD.status = 'voting' AND NEW.status = 'computed' AND (
        statement_timestamp() < OLD.voting_closes_at OR NEW.computed_at < OLD.voting_closes_at
) THEN
    RAISE EXCEPTION 'budgeting: {STILL_VOTING}';
END IF;
RETURN NEW;
"""

# A plan stays in its round, and is changed only while the round takes plans (its locked
# fields never: plan_locked_no_update); a funded plan without an initiative gets one once,
# when its round goes to the board.
PLAN_STAYS = """
IF NEW.round_id IS DISTINCT FROM OLD.round_id THEN
    RAISE EXCEPTION 'budgeting: a plan stays in its round';
END IF;
IF NOT OLD.locked AND NOT EXISTS (SELECT 1 FROM budgeting_round WHERE id = OLD.round_id
                                  AND status IN ('draft', 'ideas', 'review')) THEN
    RAISE EXCEPTION 'budgeting: a plan changes only while its round takes plans';
END IF;
IF OLD.initiative_id IS NULL AND NEW.initiative_id IS NOT NULL AND OLD.locked
        AND NOT EXISTS (SELECT 1 FROM budgeting_round WHERE id = OLD.round_id
                        AND status = 'computed' AND outcome -> 'mes' @> to_jsonb(OLD.number)) THEN
    RAISE EXCEPTION 'budgeting: only a funded plan gets an initiative, when it goes to the board';
END IF;
RETURN NEW;
"""

# A ballot comes while its round votes, inside the round's window by the database's own clock:
# the services ask the web server's clock, and a round stays "voting" after closing time until a
# civil servant computes it (days, maybe), so without this SQL could still add ballots then.
OUTSIDE_THE_WINDOW = "ballots are cast only while the round is voting, in its window"
BALLOT_IN_THE_WINDOW = f"""
IF NOT EXISTS (
    SELECT 1 FROM budgeting_round
    WHERE id = NEW.round_id AND status = 'voting'
      AND voting_opens_at <= statement_timestamp() AND statement_timestamp() < voting_closes_at
) THEN
    RAISE EXCEPTION 'budgeting: {OUTSIDE_THE_WINDOW}';
END IF;
RETURN NEW;
"""  # noqa: S608 - our constant, no input

# A ballot remembers the transaction that cast it (not a time: no link to a request log), so
# that its choices come with it and never later.
BALLOT_TRANSACTION = """
NEW.cast_in := pg_current_xact_id()::text::bigint;
RETURN NEW;
"""

# A choice is of the ballot's own round, of a plan on its ballot, while it votes, written with
# its ballot (in the ballot's transaction).
CHOICE_WITH_ITS_BALLOT = """
IF NOT EXISTS (
    SELECT 1 FROM budgeting_ballot b
    JOIN budgeting_round r ON r.id = b.round_id
    JOIN budgeting_plan p ON p.id = NEW.plan_id
    WHERE b.id = NEW.ballot_id AND p.round_id = b.round_id AND p.number IS NOT NULL
      AND r.status = 'voting' AND b.cast_in = pg_current_xact_id()::text::bigint
) THEN
    RAISE EXCEPTION 'budgeting: a choice is written with its ballot, of a plan of its round';
END IF;
RETURN NEW;
"""

# A ballot only of someone the round froze as a voter (insider review F5, with F7 and F8): a
# verification in force in one of the areas the round froze, by a method the verification it
# froze asks (any, when an account was enough). The service asks the same and more (the window,
# how long a verification stays valid: the database asks no clock, the tests freeze it).
BALLOT_BY_THE_ELECTORATE = """
IF NOT EXISTS (
    SELECT 1 FROM budgeting_round r
    JOIN accounts_memberverification v ON v.user_id = NEW.voter_id AND v.revoked_at IS NULL
    WHERE r.id = NEW.round_id AND r.electorate_area_ids @> to_jsonb(v.area_id)
      AND ((r.vote_requirement -> 'account_is_enough') = 'true'::jsonb
           OR r.vote_requirement -> 'methods' @> to_jsonb(v.method::text))
) THEN
    RAISE EXCEPTION 'budgeting: only a verified resident of the round''s areas casts a ballot';
END IF;
RETURN NEW;
"""

# Every ballot tells its voter, also one written by SQL or entered by an officer (insider
# review F5): its notice is written in the ballot's transaction (`BallotNotice`, an outbox as
# governance's participation notice) and told by `budgeting.notify.tell_voters`.
BALLOT_TELLS_THE_VOTER = """
INSERT INTO budgeting_ballotnotice (ballot_id, moment) VALUES (NEW.id, statement_timestamp());
RETURN NULL;
"""
