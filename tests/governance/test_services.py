"""The life cycle of a proposal through the services: who may do what, and the audit trail."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Area
from governance import selectors, services
from governance.models import Body, Choice, Comment, ElectorateEntry, Proposal, Seat, Side
from sroi import selectors as sroi_selectors
from tests.accounts.factories import AreaFactory, UserFactory
from tests.clock import at_closing

from .factories import (
    BodyFactory,
    SeatFactory,
    adopted,
    allocation_fields,
    board,
    decided,
    draft,
    in_discussion,
    voting,
)

pytestmark = pytest.mark.django_db


def test_a_civil_servant_prepares_a_proposal_with_audit(civil_servant):
    body, _voters = board()
    proposal = services.create_proposal(
        title="Buurtbudget", text="Tekst", body=body, actor=civil_servant
    )
    assert proposal.status == Proposal.Status.CONCEPT
    record = proposal.history.get()
    assert (record.history_type, record.history_user) == ("+", civil_servant)


@pytest.mark.parametrize("role", ["community_member", "advisory_member", "administrator"])
def test_only_civil_servants_prepare_proposals(user_for_role, role):
    with pytest.raises(ValidationError):
        services.create_proposal(title="X", text="Y", body=board()[0], actor=user_for_role(role))
    assert not Proposal.objects.exists()


def test_a_poll_needs_areas_and_a_board_vote_a_deciding_body(civil_servant):
    with pytest.raises(ValidationError):
        services.create_proposal(title="X", text="Y", method="poll", actor=civil_servant)
    advisory = BodyFactory(kind=Body.Kind.ADVISORY_COMMITTEE)
    with pytest.raises(ValidationError):
        services.create_proposal(title="X", text="Y", body=advisory, actor=civil_servant)
    assert not Proposal.objects.exists()


def test_a_fund_allocation_is_prepared_adopted_and_carried_out_in_the_ledger(civil_servant):
    # given an allocation proposal of € 400 from a fund with € 1.000, adopted by the board
    fields = allocation_fields("400.00")
    proposal = adopted(voting(**fields))
    # when a civil servant carries it out
    decision = services.execute_decision(decision=proposal.decision, actor=civil_servant)
    # then the money is allocated under the decision's reference
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EXECUTED
    assert decision.allocation.amount == Decimal("400.00")
    assert decision.allocation.decision_reference == decision.reference
    assert sroi_selectors.fund_summary(fields["fund"]).allocated == Decimal("400.00")


def test_the_life_cycle_and_its_history(civil_servant, community_member):
    body, voters = board(members=[community_member])
    proposal = services.create_proposal(title="X", text="Y", body=body, actor=civil_servant)
    services.start_discussion(proposal=proposal, actor=civil_servant)
    with pytest.raises(ValidationError):
        services.start_discussion(proposal=proposal, actor=civil_servant)
    proposal = services.open_voting(
        proposal=proposal, closes_at=timezone.now() + timedelta(hours=1), actor=civil_servant
    )
    assert proposal.status == Proposal.Status.VOTING
    assert proposal.rule_snapshot["majority_percent"] == 50
    for user in voters[Side.COMMUNITY]:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=user)
    with at_closing(proposal.closes_at, tick=True):
        decision = services.close_voting(actor=None, proposal=proposal)
        assert decision.adopted
        services.execute_decision(decision=decision, actor=civil_servant)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EXECUTED
    statuses = list(proposal.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == [
        Proposal.Status.CONCEPT,
        Proposal.Status.DISCUSSION,
        Proposal.Status.VOTING,
        Proposal.Status.ADOPTED,
        Proposal.Status.EXECUTED,
    ]


def test_a_rejected_decision_cannot_be_carried_out(civil_servant):
    body, voters = board()
    proposal = decided(voting(body=body), dict.fromkeys(voters[Side.COMMUNITY], Choice.AGAINST))
    with pytest.raises(ValidationError):
        services.execute_decision(decision=proposal.decision, actor=civil_servant)


def test_withdrawing_needs_a_reason_and_stops_the_vote(civil_servant):
    proposal = voting()
    with pytest.raises(ValidationError):
        services.withdraw_proposal(proposal=proposal, reason=" ", actor=civil_servant)
    services.withdraw_proposal(proposal=proposal, reason="Dubbel ingediend", actor=civil_servant)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert not proposal.voting_is_open()


def test_a_body_without_community_majority_cannot_open_a_vote(civil_servant):
    # 3 community of 6 voting seats: needs 4
    body, _voters = board(community=3, institution=3)
    assert not selectors.composition(body).ok
    proposal = in_discussion(body=body)
    with pytest.raises(ValidationError) as raised:
        services.open_voting(
            proposal=proposal, closes_at=timezone.now() + timedelta(hours=1), actor=civil_servant
        )
    assert raised.value.code == "composition"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DISCUSSION
    assert not ElectorateEntry.objects.exists()
    # an extra community seat fixes it
    SeatFactory(body=body, side=Side.YOUTH)
    assert selectors.composition(body).ok
    services.open_voting(
        proposal=proposal, closes_at=timezone.now() + timedelta(hours=1), actor=civil_servant
    )


def test_advisory_seats_and_ended_seats_do_not_count():
    body, _voters = board(community=3, institution=2)
    SeatFactory(body=body, side=Side.ADVISORY)
    ended = SeatFactory(body=body, side=Side.COMMUNITY)
    ended.ends_on = ended.starts_on
    ended.save()
    composition = selectors.composition(body)
    assert (composition.community, composition.institution, composition.advisory) == (3, 2, 1)
    assert composition.ok
    proposal = voting(body=body)
    assert ElectorateEntry.objects.filter(proposal=proposal).count() == 5


def test_the_board_roll_has_one_entry_per_person():
    body, voters = board(community=3, institution=1)
    SeatFactory(
        body=body, user=voters[Side.COMMUNITY][0], side=Side.COMMUNITY, starts_on="2021-01-01"
    )
    proposal = voting(body=body)
    assert ElectorateEntry.objects.filter(proposal=proposal).count() == 4
    assert Seat.objects.filter(body=body).count() == 5


def test_the_poll_roll_includes_the_areas_inside_and_is_frozen(civil_servant):
    district = AreaFactory(slug="zo", name="Zuidoost", kind=Area.Kind.DISTRICT)
    inside = AreaFactory(slug="bc", name="BC", parent=district)
    outside = AreaFactory(slug="west", name="West")
    from accounts import services as accounts

    inner, other = UserFactory(), UserFactory()
    accounts.verify_member(user=inner, area=inside, actor=civil_servant)
    accounts.verify_member(user=other, area=outside, actor=civil_servant)
    from .factories import poll

    proposal = poll(areas=[district])
    roll = set(ElectorateEntry.objects.filter(proposal=proposal).values_list("user", flat=True))
    assert roll == {inner.pk}
    # verified after opening: not on the roll
    late = UserFactory()
    accounts.verify_member(user=late, area=inside, actor=civil_servant)
    assert not ElectorateEntry.objects.filter(proposal=proposal, user=late).exists()


def test_comments_and_advice(community_member, advisory_member, youth_member):
    proposal = in_discussion()
    services.post_comment(proposal=proposal, text="Goed plan", actor=community_member)
    services.post_advice(proposal=proposal, text="Advies", actor=advisory_member)
    services.post_advice(proposal=proposal, text="Jongeren", actor=youth_member)
    kinds = list(Comment.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["comment", "advice", "youth_advice"]
    # An account is enough to comment (issue 15), so the advisory member may as a resident.
    services.post_comment(proposal=proposal, text="Ik ook", actor=advisory_member)
    with pytest.raises(ValidationError):
        services.post_advice(proposal=proposal, text="Advies", actor=community_member)


def test_no_comments_on_a_draft_or_after_the_decision(community_member):
    with pytest.raises(ValidationError):
        services.post_comment(proposal=draft(), text="Te vroeg", actor=community_member)
    body, voters = board()
    proposal = decided(voting(body=body), {})
    with pytest.raises(ValidationError):
        services.post_comment(proposal=proposal, text="Te laat", actor=community_member)
    assert not Comment.objects.exists()
