"""Who may do what on the pages of `config` (the top layer, not an installed app, so rules'
autodiscovery does not load this module: `config.todo` imports it)."""

import rules

from accounts.rules import is_civil_servant

rules.add_perm("config.see_todo", is_civil_servant)
# Everyone signed in sees their own shifts at the Community Homes (none: an empty page).
rules.add_perm("config.see_own_shifts", rules.is_authenticated)
