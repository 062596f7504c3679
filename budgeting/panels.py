"""budgeting's part of the lists of open votes (registered in `BudgetingConfig.ready`): the
rounds open for voting that the person may vote in, and the ones they voted in."""

from .models import Round
from .selectors import rounds_to_vote_in


def vote_rounds_part(user, *, running: list[Round] | None = None) -> tuple[str, dict] | None:
    """`running`: the running rounds already read (`selectors.running_rounds`), as on the home
    page, which shows the newest of them too."""
    rounds = rounds_to_vote_in(user, running=running)
    if not rounds.open and not rounds.voted:
        return None
    return "budgeting/partials/vote_rounds.html", {"rounds": rounds}
