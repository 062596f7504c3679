"""Who may do what with notifications."""

import rules

from accounts.rules import is_civil_servant

rules.add_perm("notifications.see_own", rules.is_authenticated)
rules.add_perm("notifications.edit_own_preferences", rules.is_authenticated)
# Printed letters carry names and addresses: civil servants print them, nobody else.
rules.add_perm("notifications.see_letters", is_civil_servant)
