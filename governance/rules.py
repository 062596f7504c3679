"""Who may do what with proposals. Windows (discussion, voting) are predicates, tested with time.

Civil servants prepare proposals and never vote on behalf of anyone; they also manage the
bodies and seats; voting depends on the frozen roll of the proposal, not on a role.
"""

import rules
from django.utils import timezone

from accounts.rules import (
    Action,
    is_advisory_member,
    is_civil_servant,
    is_staff_role,
    is_youth_council_member,
    may_do,
)

from .models import (
    ElectorateEntry,
    OfficerShift,
    Participation,
    PollKey,
    Proposal,
    TrusteeShare,
)
from .officing import is_on_shift
from .officing import station_is_offered as offered
from .selectors.ballots import voter_facts


@rules.predicate
def proposal_is_public(user, proposal: Proposal | None) -> bool:
    """Everything but a draft is public."""
    return proposal is not None and proposal.status in Proposal.PUBLIC


@rules.predicate
def is_draft(user, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status == Proposal.Status.CONCEPT


@rules.predicate
def is_under_discussion(user, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status == Proposal.Status.DISCUSSION


@rules.predicate
def is_editable(user, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status in (
        Proposal.Status.CONCEPT,
        Proposal.Status.DISCUSSION,
    )


@rules.predicate
def is_withdrawable(user, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status in (
        Proposal.Status.CONCEPT,
        Proposal.Status.DISCUSSION,
        Proposal.Status.VOTING,
    )


@rules.predicate
def discussion_is_open(user, proposal: Proposal | None) -> bool:
    """Comments and advice are welcome from the discussion until voting closes."""
    if proposal is None:
        return False
    if proposal.status == Proposal.Status.DISCUSSION:
        return True
    return proposal.voting_is_open()


@rules.predicate
def voting_is_open(user, proposal: Proposal | None) -> bool:
    """In the voting window now: opened, and not yet at its closing time."""
    return proposal is not None and proposal.voting_is_open()


@rules.predicate
def is_adopted(user, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status == Proposal.Status.ADOPTED


@rules.predicate
def in_electorate(user, proposal: Proposal | None) -> bool:
    """On the roll frozen when voting opened."""
    if proposal is None or not user.is_authenticated:
        return False
    # Loaded with the proposal for this user (`selectors.proposal_for_vote`): no second read.
    facts = voter_facts(proposal, user)
    if facts is not None:
        return facts.side is not None
    return ElectorateEntry.objects.filter(proposal=proposal, user=user).exists()


@rules.predicate
def is_due(user, proposal: Proposal | None) -> bool:
    """The voting window has ended but the vote is not closed yet."""
    return (
        proposal is not None
        and proposal.status == Proposal.Status.VOTING
        and proposal.closes_at is not None
        and timezone.now() >= proposal.closes_at
    )


@rules.predicate
def is_being_counted(user, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status == Proposal.Status.COUNTING


@rules.predicate
def is_sealed_poll_in_progress(user, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status in (
        Proposal.Status.VOTING,
        Proposal.Status.COUNTING,
    )


@rules.predicate
def is_counted_poll(user, proposal: Proposal | None) -> bool:
    """A sealed poll that has been counted (polls from before sealing have no bulletin)."""
    return (
        proposal is not None
        and proposal.is_poll
        and proposal.is_decided
        and PollKey.objects.filter(proposal=proposal).exists()
    )


@rules.predicate
def bulletin_is_coming(user, proposal: Proposal | None) -> bool:
    """A poll being voted on or counted: its list of codes comes with the count. Until then the
    codes exist only inside the sealed ballots (docs/voting-threat-model.md), so there is no
    list to show; its address says when it comes."""
    return (
        proposal is not None
        and proposal.is_poll
        and proposal.status in (Proposal.Status.VOTING, Proposal.Status.COUNTING)
    )


@rules.predicate
def is_trustee(user, proposal: Proposal | None) -> bool:
    """Holds a share of this poll's key (a community-side board member when it opened)."""
    if proposal is None or not user.is_authenticated:
        return False
    return TrusteeShare.objects.filter(proposal=proposal, trustee=user).exists()


@rules.predicate
def has_cast_secret_ballot(user, proposal: Proposal | None) -> bool:
    """Took part in this poll (the participation record; it says nothing about the choice)."""
    if proposal is None or not proposal.is_poll or not user.is_authenticated:
        return False
    return Participation.objects.filter(proposal=proposal, user=user).exists()


rules.add_perm("governance.see_proposals", rules.always_allow)
rules.add_perm("governance.see_proposal", proposal_is_public | is_staff_role)
rules.add_perm("governance.see_drafts", is_staff_role)
rules.add_perm("governance.prepare_proposal", is_civil_servant)
rules.add_perm("governance.edit_proposal", is_civil_servant & is_editable)
rules.add_perm("governance.start_discussion", is_civil_servant & is_draft)
rules.add_perm("governance.open_voting", is_civil_servant & is_under_discussion)
rules.add_perm("governance.withdraw_proposal", is_civil_servant & is_withdrawable)
rules.add_perm("governance.execute_decision", is_civil_servant & is_adopted)
rules.add_perm(
    "governance.vote_proposal",
    rules.is_authenticated & voting_is_open & in_electorate,
)
rules.add_perm("governance.close_voting", is_civil_servant & is_due)
rules.add_perm("governance.pick_up_share", is_sealed_poll_in_progress & is_trustee)
rules.add_perm("governance.enter_share", is_being_counted & is_trustee)
rules.add_perm("governance.see_bulletin", is_counted_poll)
rules.add_perm("governance.await_bulletin", bulletin_is_coming)
# Who may comment is data: the verification requirement of "comment" (accounts).
rules.add_perm("governance.comment_proposal", may_do(Action.COMMENT) & discussion_is_open)
rules.add_perm(
    "governance.advise_proposal",
    (is_advisory_member | is_youth_council_member) & discussion_is_open,
)
# Who may hold a community seat and who may staff a Community Home is data too: the person's
# verification against the requirements of "board_seat" and "officer" (accounts). A civil
# servant may staff a Community Home as an employee (staff accounts are never verified members).
rules.add_perm("governance.sit_board_seat", may_do(Action.BOARD_SEAT))
rules.add_perm("governance.act_as_officer", is_staff_role | may_do(Action.OFFICER))
# The list of bodies is public (their seats per side, and the members a public roll-call names:
# no more than the annual report and the decisions show); a body's page with its seats, holders
# and audit trail, and the decision rules' page, are for staff.
rules.add_perm("governance.see_body_list", rules.always_allow)
rules.add_perm("governance.see_bodies", is_staff_role)
# Civil servants change bodies, seats and rules (through `governance.bodies`, audited);
# administrators only read them: they never touch votes or decisions.
rules.add_perm("governance.manage_bodies", is_civil_servant)
# Who may act at all, asked by the services (`common.services.service`): the permissions above
# add the windows, and a service refuses on the state of its objects with its own message.
rules.add_perm("governance.act_as_trustee", is_trustee)
rules.add_perm("governance.write_comment", may_do(Action.COMMENT))
rules.add_perm("governance.give_advice", is_advisory_member | is_youth_council_member)


# --- Community Homes (issue 12): the object is an `officing.Station` (poll + location) ---------


# The officer predicates read the user's shifts once per request (`officing.shifts_of`) and
# the offering from the station when the page knows it, so a poll's page with many locations
# asks no query per location; the services check the database themselves.


@rules.predicate
def is_on_check_in_shift_here(user, station) -> bool:
    """In a shift of theirs for the check-in at this very location, now."""
    return station is not None and is_on_shift(user, station.location, OfficerShift.Task.CHECK_IN)


@rules.predicate
def location_is_open(user, station) -> bool:
    """The station's location is not closed (`officing.close_location`): nobody is checked in,
    verified or given a ballot there."""
    return station is not None and not station.location.is_closed


@rules.predicate
def station_is_open(user, station) -> bool:
    """The poll is offered at this location and its voting window is open."""
    return station is not None and station.proposal.voting_is_open() and offered(station)


rules.add_perm("governance.manage_locations", is_civil_servant)
rules.add_perm(
    "governance.check_in", is_on_check_in_shift_here & location_is_open & station_is_open
)


@rules.predicate
def is_on_counting_shift_here(user, station) -> bool:
    """In a shift of theirs for counting paper ballots at this very location, now."""
    return station is not None and is_on_shift(user, station.location, OfficerShift.Task.COUNTING)


@rules.predicate
def station_is_counting(user, station) -> bool:
    """Voting has closed at this offered location and the result is not final yet."""
    proposal = station.proposal if station is not None else None
    return (
        proposal is not None
        and (
            proposal.status == Proposal.Status.COUNTING
            or (proposal.status == Proposal.Status.VOTING and is_due(user, proposal))
        )
        and offered(station)
    )


rules.add_perm("governance.count_paper", is_on_counting_shift_here & station_is_counting)
rules.add_perm("governance.record_no_votes", is_civil_servant & station_is_counting)


@rules.predicate
def roll_is_frozen(user, proposal) -> bool:
    """Voting has opened (the roll exists) and the poll is not decided yet."""
    return (
        proposal is not None
        and proposal.is_poll
        and proposal.status in (Proposal.Status.VOTING, Proposal.Status.COUNTING)
    )


@rules.predicate
def station_is_offered(user, station) -> bool:
    return station is not None and offered(station)


rules.add_perm("governance.print_poll_cards", is_civil_servant & roll_is_frozen)
rules.add_perm(
    "governance.print_ballot_papers",
    (is_civil_servant | is_on_check_in_shift_here) & station_is_offered,
)
rules.add_perm("governance.print_results_sheet", is_on_counting_shift_here & station_is_counting)


@rules.predicate
def is_on_duty_here(user, station) -> bool:
    """In a current shift (any task) at the station's location."""
    return station is not None and any(
        is_on_shift(user, station.location, task) for task in OfficerShift.Task.values
    )


# Verified at the table (issue 12): only a civil servant on duty at this location.
rules.add_perm(
    "governance.verify_at_table",
    is_civil_servant & is_on_duty_here & location_is_open & station_is_offered,
)
