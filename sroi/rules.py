"""Who may do what in sroi. The fund, the contracts and their progress are public; recording
contracts, realisations and money is for civil servants (and administrators)."""

import rules

from accounts.rules import is_staff_role

rules.add_perm("sroi.view_fund_overview", rules.always_allow)
rules.add_perm("sroi.view_contracts", rules.always_allow)
rules.add_perm("sroi.manage_contracts", is_staff_role)
rules.add_perm("sroi.view_contract_details", is_staff_role)
rules.add_perm("sroi.claim_realisation", is_staff_role)
rules.add_perm("sroi.verify_realisation", is_staff_role)
rules.add_perm("sroi.view_evidence", is_staff_role)
rules.add_perm("sroi.record_money", is_staff_role)
rules.add_perm("sroi.allocate", is_staff_role)
rules.add_perm("sroi.reverse_transaction", is_staff_role)
