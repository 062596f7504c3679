"""Bodies and their seats, decision rules, proposals, votes and decisions.

Two ways to vote on a proposal:
- a board vote (roll-call): the seat holders of a deciding body vote openly; `Vote` links a user to
  a choice and is public after the decision;
- a community-wide poll (secret ballot): `Participation` records *that* someone voted and `Ballot`
  *what* was chosen. A ballot has no link to a user, no time, and a random key, so nothing in the
  application (the admin included) can join one to the other.
Both have a frozen roll (`ElectorateEntry`) made when voting opens.

One module per part: `bodies`, `proposals`, `voting`, `decisions`; the Community Home models
live in `governance.models.officing`. Import from here: `from governance.models import Proposal`.
"""

# Community Homes, officers and check-ins live in their own module (issue 12).
from governance.models.officing import (
    CheckIn,
    Location,
    LocationWithoutVotes,
    OfficerShift,
    PaperCount,
    PaperCountSeal,
    PollOffering,
)

from .bodies import (
    COMMUNITY_SIDES,
    VOTING_SIDES,
    Body,
    Choice,
    DecisionRule,
    Seat,
    Side,
)
from .decisions import (
    Decision,
)
from .lines import ProposalLine
from .notices import ParticipationNotice
from .proposals import (
    Attachment,
    Comment,
    Proposal,
    proposal_history,
)
from .voting import (
    Ballot,
    ElectorateEntry,
    Participation,
    PollKey,
    SealedBallot,
    TrusteeShare,
    Vote,
)

__all__ = [
    "Attachment",
    "Ballot",
    "Body",
    "COMMUNITY_SIDES",
    "CheckIn",
    "Choice",
    "Comment",
    "Decision",
    "DecisionRule",
    "ElectorateEntry",
    "Location",
    "LocationWithoutVotes",
    "OfficerShift",
    "PaperCount",
    "PaperCountSeal",
    "Participation",
    "ParticipationNotice",
    "PollKey",
    "PollOffering",
    "Proposal",
    "ProposalLine",
    "SealedBallot",
    "Seat",
    "Side",
    "TrusteeShare",
    "VOTING_SIDES",
    "Vote",
    "proposal_history",
]
