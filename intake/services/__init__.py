"""Every write in intake: intakes and their answers, initiator links, questionnaire versions.

One module per part: `intakes` (the staff's way), `links` (the initiator's way), `answers`
(what both share), `questionnaires` (versions). Import the package:
`from intake import services; services.confirm_intake(...)`.
"""

from .answers import (
    AnswerInput,
)
from .intakes import (
    confirm_intake,
    save_answers,
    set_profile_published,
    start_intake,
)
from .links import (
    LINK_VALID_DAYS,
    create_initiator_link,
    invite_initiator,
    save_answers_by_link,
    submit_by_link,
)
from .questionnaires import (
    check_questionnaire_editable,
    copy_questionnaire,
    publish_questionnaire,
)

__all__ = [
    "AnswerInput",
    "LINK_VALID_DAYS",
    "check_questionnaire_editable",
    "confirm_intake",
    "copy_questionnaire",
    "create_initiator_link",
    "invite_initiator",
    "publish_questionnaire",
    "save_answers",
    "save_answers_by_link",
    "set_profile_published",
    "start_intake",
    "submit_by_link",
]
