"""What the round's models share: the fields freezing locks and the triggers' check of a state."""

# The round's fields that freezing locks (the status may still move on): with the rules, who
# votes (the areas of the electorate and the verification asked, as they were at freezing).
FROZEN_ROUND_FIELDS = ("fund_id", "area_id", "budget", "min_plans", "ballot_rule", "tie_break",
                       "min_vote_percent", "electorate_area_ids", "vote_requirement")  # fmt: skip


# Everything of a plan but its initiative, which a funded plan without one gets once (adoption).
FROZEN_PLAN_FIELDS = ("id", "round_id", "number", "title", "description", "cost", "author_id",
                      "feasibility", "reviewed_cost", "review_reason", "reviewed_by_id",
                      "reviewed_at", "locked", "created_at")  # fmt: skip


def _not_in_state(table: str, id_column: str, states: tuple[str, ...], message: str) -> str:
    """PL/pgSQL that refuses the row unless its round is in one of `states` (our constants
    only, never input: the text is fixed in the migration)."""
    listed = ", ".join(f"'{state}'" for state in states)
    check = f"SELECT 1 FROM budgeting_round WHERE id = NEW.{id_column} AND status IN ({listed})"  # noqa: S608
    return f"IF NOT EXISTS ({check}) THEN RAISE EXCEPTION '{message}'; END IF; RETURN NEW;"
