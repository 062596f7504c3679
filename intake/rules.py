"""Who may do what with intakes. Staff run intakes; a link is its own, time-bound permission."""

import rules

from accounts.rules import is_staff_role

from .models import Intake, IntakeLink


@rules.predicate
def intake_is_open(user, intake: Intake | None) -> bool:
    """Answers may change until the intake is confirmed."""
    return intake is not None and not intake.is_confirmed


@rules.predicate
def intake_is_confirmed(user, intake: Intake | None) -> bool:
    return intake is not None and intake.is_confirmed


@rules.predicate
def profile_is_published(user, intake: Intake | None) -> bool:
    return intake is not None and intake.is_confirmed and intake.is_published


@rules.predicate
def link_is_usable(user, link: IntakeLink | None) -> bool:
    """Not used, not withdrawn, not expired, and its intake still a draft (checked now)."""
    return link is not None and link.is_usable()


rules.add_perm("intake.see_overview", is_staff_role)
rules.add_perm("intake.start_intake", is_staff_role)
rules.add_perm("intake.review_intake", is_staff_role)
rules.add_perm("intake.fill_intake", is_staff_role & intake_is_open)
rules.add_perm("intake.invite_initiator", is_staff_role & intake_is_open)
rules.add_perm("intake.confirm_intake", is_staff_role & intake_is_open)
rules.add_perm("intake.publish_profile", is_staff_role & intake_is_confirmed)
rules.add_perm("intake.see_profile", profile_is_published)
# The token is the credential: whoever holds a usable link may fill in that one intake.
rules.add_perm("intake.fill_by_link", link_is_usable)
# Questionnaire versions: copied and published by staff (the admin edits the drafts).
rules.add_perm("intake.manage_questionnaire", is_staff_role)
