"""Who may do what in sroi. The fund, the contracts and their progress are public; recording
contracts, realisations and money is for civil servants (and administrators)."""

import rules

from accounts.rules import is_civil_servant, is_staff_role

rules.add_perm("sroi.see_fund_overview", rules.always_allow)
rules.add_perm("sroi.see_contracts", rules.always_allow)
rules.add_perm("sroi.manage_contracts", is_staff_role)
rules.add_perm("sroi.see_contract_details", is_staff_role)
rules.add_perm("sroi.claim_realisation", is_staff_role)
rules.add_perm("sroi.verify_realisation", is_staff_role)
rules.add_perm("sroi.see_evidence", is_staff_role)
rules.add_perm("sroi.record_money", is_staff_role)
# No "allocate": money is allocated only by carrying out an adopted decision (governance).
rules.add_perm("sroi.close_year", is_civil_servant)
rules.add_perm("sroi.reverse_transaction", is_staff_role)
