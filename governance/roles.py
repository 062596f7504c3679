from accounts.models import Role
from accounts.roles import grant

grant(
    Role.CIVIL_SERVANT,
    "governance.view_body",
    "governance.view_seat",
    "governance.view_decisionrule",
    "governance.view_proposal",
    "governance.view_decision",
)
grant(
    Role.ADMINISTRATOR,
    "governance.view_body",
    "governance.add_body",
    "governance.change_body",
    "governance.view_seat",
    "governance.add_seat",
    "governance.change_seat",
    "governance.delete_seat",
    "governance.view_decisionrule",
    "governance.add_decisionrule",
    "governance.change_decisionrule",
    "governance.view_proposal",
    "governance.view_decision",
)
