"""budgeting's part of the lists of open votes (registered in `BudgetingConfig.ready`): the
rounds open for voting that the person may vote in, and the ones they voted in."""

from .selectors import rounds_to_vote_in


def vote_rounds_part(user) -> tuple[str, dict] | None:
    rounds = rounds_to_vote_in(user)
    if not rounds.open and not rounds.voted:
        return None
    return "budgeting/partials/vote_rounds.html", {"rounds": rounds}
