"""One way to do each thing (issue 19): a governance service asks the whole rule of the view that
calls it (who *and* in which state), so the page and the service cannot drift apart."""

import inspect

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

import governance.officing.cards
import governance.officing.checkin
import governance.officing.counts
import governance.officing.shifts
import governance.officing.stations
import governance.services.counting
import governance.services.decisions
import governance.services.discussion
import governance.services.packages
import governance.services.proposals
from governance import bodies, officing, services, views
from governance.bodies import views as body_views
from governance.models import Proposal
from governance.officing import location_views, print_views
from governance.officing import views as officing_views

from .factories import board, decided, in_discussion, poll, voting

# (the view, the service it calls)
PAIRS = [
    (views.StartDiscussionView, services.start_discussion),
    (views.OpenVotingView, services.open_voting),
    (views.WithdrawView, services.withdraw_proposal),
    (views.ExecuteView, services.execute_decision),
    (views.CloseVotingView, services.close_voting),
    (views.PickUpShareView, services.pick_up_share),
    (views.EnterShareView, services.enter_share),
    (views.CommentView, services.post_comment),
    (views.AdviceView, services.post_advice),
    (officing_views.LocationListView, officing.create_location),
    (officing_views.LocationDetailView, officing.add_shift),
    (location_views.LocationEditView, officing.update_location),
    (location_views.LocationCloseView, officing.close_location),
    (location_views.ShiftCancelView, officing.cancel_shift),
    (location_views.ShiftChangeView, officing.change_shift),
    (location_views.LocationReopenView, officing.reopen_location),
    (officing_views.OfferView, officing.offer_poll_at),
    (officing_views.StationView, officing.check_in),
    (officing_views.CountView, officing.enter_paper_count),
    (officing_views.CountView, officing.confirm_paper_count),
    (officing_views.NoVotesView, officing.record_location_without_votes),
    (officing_views.VerifyAtTableView, officing.verify_at_table),
    (print_views.PollCardsView, governance.officing.cards.request_poll_cards),
    (body_views.BodyFormView, bodies.create_body),
    (body_views.BodyFormView, bodies.update_body),
    (body_views.SeatAddView, bodies.add_seat),
    (body_views.SeatEndView, bodies.end_seat),
    (body_views.RuleFormView, bodies.create_decision_rule),
    (body_views.RuleFormView, bodies.update_decision_rule),
]

# Services no governance page calls: the budget round makes its package (budgeting asks its own
# rule); the proposal form calls `save_proposal`, which calls these (see the test below).
NOT_CALLED_BY_A_VIEW = {"create_package_proposal", "create_proposal", "update_proposal"}
NOT_CALLED_BY_A_VIEW |= {"add_attachment"}

MODULES = [
    governance.services.proposals,
    governance.services.counting,
    governance.services.decisions,
    governance.services.discussion,
    governance.services.packages,
    governance.officing.cards,
    governance.officing.checkin,
    governance.officing.counts,
    governance.officing.shifts,
    governance.officing.stations,
    bodies,
]


def _view_rule(view_class) -> tuple:
    return tuple(view_class().get_permission_required())


@pytest.mark.parametrize(
    ("view_class", "service"), PAIRS, ids=[f"{v.__name__}-{s.__name__}" for v, s in PAIRS]
)
def test_the_service_asks_the_rule_of_the_view_that_calls_it(view_class, service):
    assert _view_rule(view_class) == (service.rule,)


def test_the_proposal_form_asks_what_its_services_ask():
    page = views.ProposalFormView()
    page.proposal = None
    assert page.get_permission_required() == [services.create_proposal.rule]
    assert services.save_proposal.rule == services.create_proposal.rule
    page.proposal = Proposal()
    assert page.get_permission_required() == [services.update_proposal.rule]
    assert services.add_attachment.rule == services.update_proposal.rule
    # The form's one service asks the "who" of both; the service doing the work the whole rule.
    assert services.save_proposal.rule == services.update_proposal.who


def test_every_governance_service_is_held_to_a_view_or_said_not_to_be():
    found = {
        name
        for module in MODULES
        for name, value in inspect.getmembers(module, callable)
        if hasattr(value, "rule") and value.__module__ == module.__name__
    }
    paired = {service.__name__ for _view, service in PAIRS} | {"save_proposal"}
    assert found == paired | NOT_CALLED_BY_A_VIEW


# --- What the whole rule changes ------------------------------------------------------------


@pytest.mark.django_db
def test_a_wrong_state_is_refused_with_its_own_message(civil_servant):
    proposal = in_discussion()
    with pytest.raises(ValidationError) as refused:
        services.start_discussion(proposal=proposal, actor=civil_servant)
    assert refused.value.code == "status"


@pytest.mark.django_db
def test_a_person_without_the_role_hears_forbidden_whatever_the_state(community_member):
    proposal = in_discussion()
    with pytest.raises(ValidationError) as refused:
        services.start_discussion(proposal=proposal, actor=community_member)
    assert refused.value.code == "forbidden"


@pytest.mark.django_db
def test_a_trustee_sees_no_key_of_a_withdrawn_poll_and_hears_why(
    area, community_member, civil_servant
):
    sealed = poll(areas=[area])
    trustee = sealed.shares.select_related("trustee").first().trustee
    services.withdraw_proposal(proposal=sealed, reason="Ingetrokken", actor=civil_servant)
    with pytest.raises(ValidationError) as refused:
        services.pick_up_share(proposal=sealed, actor=trustee)
    assert refused.value.code == "status"  # the page's rule: only while the poll runs


@pytest.mark.django_db
def test_a_civil_servant_closes_only_a_due_vote_the_system_closes_again(civil_servant):
    body, voters = board()
    proposal = decided(voting(body=body), {})
    with pytest.raises(ValidationError) as refused:
        services.close_voting(proposal=proposal, actor=civil_servant)
    assert refused.value.code == "forbidden"  # as the page: not due any more
    assert services.close_voting(proposal=proposal, actor=None) == proposal.decision


@pytest.mark.django_db
def test_a_location_without_the_poll_is_refused_in_words(area, community_member, civil_servant):
    sealed = poll(areas=[area])
    elsewhere = officing.create_location(name="Noord", address="Noordplein 1", actor=civil_servant)
    with freeze_time(sealed.closes_at), pytest.raises(ValidationError) as refused:
        officing.record_location_without_votes(
            proposal=sealed, location=elsewhere, reason="Dicht", actor=civil_servant
        )
    assert refused.value.code == "not_offered"
