from accounts.models import Role
from accounts.roles import grant

# Model-level view permissions, so staff can read governance in the admin. Nobody gets add,
# change or delete: bodies, seats and rules change on the staff pages through the services
# (`governance.manage_bodies`, civil servants), proposals and decisions only by their services.
_VIEW = (
    "governance.view_body",
    "governance.view_seat",
    "governance.view_decisionrule",
    "governance.view_proposal",
    "governance.view_decision",
)
grant(Role.CIVIL_SERVANT, *_VIEW)
grant(Role.ADMINISTRATOR, *_VIEW)
