"""A budget round: residents choose which plans the community fund pays (issue 14).

A round moves draft → ideas → review → frozen → voting → computed → adoption → committed
(→ reporting). Freezing locks the budget (the money available in the fund at that moment, read
through sroi's ledger selectors), the plans with their costs, the ballot rule, the minimum number
of plans on a ballot and the tie-break order (the plans' numbers). Nothing of that changes after
freezing: the services refuse, and on PostgreSQL triggers refuse too, so neither the admin nor SQL
can change the rules once votes exist (the complaint of CONSUL #5321).

One module per part: `rounds` (Round, Plan), `ballots` (Ballot, BallotChoice); `base` holds
what they share. Import from here: `from budgeting.models import Round`.
"""

from .ballots import (
    Ballot,
    BallotChannel,
    BallotChoice,
    BallotNotice,
)
from .base import (
    FROZEN_PLAN_FIELDS,
    FROZEN_ROUND_FIELDS,
)
from .rounds import (
    Plan,
    Round,
)

__all__ = [
    "Ballot",
    "BallotChannel",
    "BallotChoice",
    "BallotNotice",
    "FROZEN_PLAN_FIELDS",
    "FROZEN_ROUND_FIELDS",
    "Plan",
    "Round",
]
