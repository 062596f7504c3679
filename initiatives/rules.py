"""Who may do what in the registry. The register itself is public."""

import rules

from accounts.rules import is_staff_role

rules.add_perm("initiatives.see_register", rules.always_allow)
rules.add_perm("initiatives.manage_initiatives", is_staff_role)
rules.add_perm("initiatives.see_personal_data", is_staff_role)
rules.add_perm("initiatives.export_all_fields", is_staff_role)
rules.add_perm("initiatives.import_initiatives", is_staff_role)
rules.add_perm("initiatives.manage_areas", is_staff_role)
