"""Who may do what with reports. Published reports and open data are public."""

import rules

from accounts.rules import is_staff_role

rules.add_perm("reports.see_published", rules.always_allow)
rules.add_perm("reports.request_report", is_staff_role)
rules.add_perm("reports.see_report_status", is_staff_role)
rules.add_perm("reports.preview_report", is_staff_role)
rules.add_perm("reports.record_outcome", is_staff_role)
