from accounts.models import Role
from accounts.roles import grant

_MANAGE = (
    "initiatives.view_initiative",
    "initiatives.add_initiative",
    "initiatives.change_initiative",
    "initiatives.view_initiativeimport",
    "initiatives.add_initiativeimport",
)
grant(Role.CIVIL_SERVANT, *_MANAGE)
grant(
    Role.ADMINISTRATOR, *_MANAGE, "initiatives.delete_initiative", "initiatives.view_classification"
)
