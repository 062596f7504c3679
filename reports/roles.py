from accounts.models import Role
from accounts.roles import grant

_REPORTS = (
    "reports.view_annualreport",
    "reports.add_annualreport",
    "reports.view_outcome",
)
grant(Role.CIVIL_SERVANT, *_REPORTS)
grant(Role.ADMINISTRATOR, *_REPORTS, "reports.view_workerprobe")
