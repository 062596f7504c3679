from accounts.models import Role
from accounts.roles import grant

_RUN_INTAKES = (
    "intake.view_intake",
    "intake.add_intake",
    "intake.change_intake",
    "intake.view_answer",
    "intake.add_answer",
    "intake.change_answer",
    "intake.view_intakelink",
    "intake.add_intakelink",
    "intake.change_intakelink",
    "intake.view_questionnaire",
    "intake.view_question",
    "intake.view_option",
)
grant(Role.CIVIL_SERVANT, *_RUN_INTAKES)
grant(
    Role.ADMINISTRATOR,
    *_RUN_INTAKES,
    "intake.add_questionnaire",
    "intake.change_questionnaire",
    "intake.add_question",
    "intake.change_question",
    "intake.delete_question",
    "intake.add_option",
    "intake.change_option",
    "intake.delete_option",
)
