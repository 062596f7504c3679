from accounts.models import Role
from accounts.roles import grant

_MANAGE = (
    "sroi.view_contractor",
    "sroi.add_contractor",
    "sroi.change_contractor",
    "sroi.view_contract",
    "sroi.add_contract",
    "sroi.change_contract",
    "sroi.view_realisation",
    "sroi.add_realisation",
    "sroi.change_realisation",
    "sroi.view_blockcatalogue",
    "sroi.view_buildingblock",
    "sroi.view_fund",
    "sroi.view_account",
    "sroi.view_transaction",
    "sroi.add_transaction",
    "sroi.view_entry",
    "sroi.add_entry",
    "sroi.view_allocation",
    "sroi.add_allocation",
    "sroi.change_allocation",
)
grant(Role.CIVIL_SERVANT, *_MANAGE)
# Administrators keep the catalogue of building blocks (a new version per change) and the funds.
grant(
    Role.ADMINISTRATOR,
    *_MANAGE,
    "sroi.add_blockcatalogue",
    "sroi.change_blockcatalogue",
    "sroi.add_buildingblock",
    "sroi.change_buildingblock",
    "sroi.add_fund",
    "sroi.change_fund",
)
