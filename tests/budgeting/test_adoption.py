"""Adoption: the outcome is ONE package to the community board; adopted and carried out, it
books one allocation per funded plan through the ledger's one door; rejected, nothing moves."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from budgeting import services
from budgeting.models import Round
from governance import services as governance
from governance.models import Choice, Proposal
from sroi import ledger_selectors
from sroi.models import Allocation
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.clock import at_closing
from tests.governance.factories import board, decided
from tests.sroi.factories import InitiativeFactory

pytestmark = pytest.mark.django_db
S = Round.Status


@pytest.fixture
def community_board():
    body, voters = board(community=3, institution=2)
    return body, voters["community"] + voters["institution"]


@pytest.fixture
def computed(area, civil_servant, community_member):
    """Plans 1-4 cost 1000-4000, the fund 5000; equal shares funds plans 1 and 2. Plan 2 comes
    from the register; plan 1 does not."""
    round = round_in(S.REVIEW, area=area, civil_servant=civil_servant, author=community_member,
                     costs=(1000, 2000, 3000, 4000), money="5000.00")  # fmt: skip
    # linked to the register while plans are taken (a frozen plan keeps what it had)
    second = round.plans.get(title="Plan 2")
    second.initiative = InitiativeFactory(name="Buurtkeuken", slug="buurtkeuken")
    second.save()
    round = services.freeze_round(actor=civil_servant, round=round)
    round = services.open_voting(actor=civil_servant, round=round)
    plans = {p.number: p for p in round.plans.all()}
    for i in range(3):
        voter = resident_of(area, civil_servant, f"kiezer{i}")
        services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in (1, 2, 3)])
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=civil_servant, round=round)
    assert round.outcome["mes"] == [1, 2]
    return round


def _vote(proposal, voters, choice):
    governance.start_discussion(proposal=proposal, actor=None)
    proposal = governance.open_voting(
        proposal=proposal, closes_at=timezone.now() + timedelta(hours=1), actor=None
    )
    return decided(proposal, dict.fromkeys(voters, choice))


def test_the_outcome_goes_to_the_board_as_one_package_with_a_line_per_funded_plan(
    computed, community_board, civil_servant
):
    body, _voters = community_board
    round = services.submit_to_board(actor=civil_servant, round=computed, body=body)
    assert round.status == S.ADOPTION
    proposal = round.proposal
    assert proposal.kind == Proposal.Kind.FUND_PACKAGE and proposal.body == body
    assert proposal.fund == round.fund and proposal.amount == Decimal("3000.00")
    lines = list(proposal.lines.order_by("position"))
    plans = {p.number: p for p in round.plans.select_related("initiative")}
    assert [(line.position, line.amount, line.initiative) for line in lines] == [
        (1, Decimal("1000.00"), plans[1].initiative),
        (2, Decimal("2000.00"), plans[2].initiative),
    ]
    # plan 1 was not in the register: it is now, with the plan's title
    assert plans[1].initiative.name == "Plan 1" and plans[2].initiative.slug == "buurtkeuken"
    assert lines[0].source == f"budgeting.plan:{plans[1].pk}"


def test_the_board_cannot_change_the_package(computed, community_board, civil_servant):
    body, _voters = community_board
    proposal = services.submit_to_board(actor=civil_servant, round=computed, body=body).proposal
    with pytest.raises(ValidationError):
        governance.update_proposal(
            proposal=proposal, actor=civil_servant, title=proposal.title, text=proposal.text,
            method=Proposal.Method.BOARD, body=body, kind=Proposal.Kind.FUND_ALLOCATION, fund=proposal.fund,
            initiative=proposal.lines.first().initiative, amount=Decimal("5000.00"),
            purpose="Alles naar één plan",
        )  # fmt: skip
    proposal.refresh_from_db()
    assert proposal.kind == Proposal.Kind.FUND_PACKAGE and proposal.lines.count() == 2


def test_adopted_and_carried_out_books_one_allocation_per_funded_plan(
    computed, community_board, civil_servant
):
    body, voters = community_board
    round = services.submit_to_board(actor=civil_servant, round=computed, body=body)
    before = ledger_selectors.available(round.fund)
    proposal = _vote(round.proposal, voters, Choice.FOR)
    assert proposal.status == Proposal.Status.ADOPTED
    with pytest.raises(ValidationError):
        services.settle_round(actor=civil_servant, round=round)  # not carried out yet
    decision = governance.execute_decision(decision=proposal.decision, actor=civil_servant)
    allocations = list(Allocation.objects.filter(decision_id=decision.pk).order_by("decision_line"))
    plans = {p.number: p for p in round.plans.select_related("initiative")}
    assert [(a.decision_line, a.amount, a.initiative, a.fund) for a in allocations] == [
        (1, Decimal("1000.00"), plans[1].initiative, round.fund),
        (2, Decimal("2000.00"), plans[2].initiative, round.fund),
    ]
    assert all(a.decision_reference == decision.reference for a in allocations)
    assert ledger_selectors.available(round.fund) == before - Decimal("3000.00")
    # carried out once
    with pytest.raises(ValidationError):
        governance.execute_decision(decision=decision, actor=civil_servant)
    assert Allocation.objects.filter(decision_id=decision.pk).count() == 2
    round = services.settle_round(actor=civil_servant, round=round)
    assert round.status == S.COMMITTED


def test_rejected_the_money_stays_in_the_fund_and_the_page_says_why(
    client, computed, community_board, civil_servant
):
    body, voters = community_board
    round = services.submit_to_board(actor=civil_servant, round=computed, body=body)
    before = ledger_selectors.available(round.fund)
    proposal = _vote(round.proposal, voters, Choice.AGAINST)
    assert proposal.status == Proposal.Status.REJECTED
    with pytest.raises(ValidationError):
        governance.execute_decision(decision=proposal.decision, actor=civil_servant)
    lines = list(
        proposal.lines.order_by("position").values_list("position", "amount", "initiative")
    )
    # without the board's written reason nothing is recorded
    with pytest.raises(ValidationError) as error:
        services.settle_round(actor=civil_servant, round=round, reason="   ")
    assert "reason" in error.value.message_dict
    round.refresh_from_db()
    assert round.status == S.ADOPTION and round.rejection_reason == ""
    reason = "Het bestuur wil eerst weten wie de bankjes onderhoudt."
    round = services.settle_round(actor=civil_servant, round=round, reason=reason)
    assert round.status == S.REJECTED and round.rejection_reason == reason
    assert round.history.first().history_user == civil_servant
    assert not Allocation.objects.exists()
    assert ledger_selectors.available(round.fund) == before
    # the package is as it was put to the board
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert (
        list(proposal.lines.order_by("position").values_list("position", "amount", "initiative"))
        == lines
    )
    page = client.get(round.get_absolute_url()).content.decode()
    assert "Afgewezen. Het geld blijft in het fonds." in page
    assert proposal.decision.explanation.split(".")[0] in page
    assert "Waarom afgewezen" in page and reason in page
    client.cookies["django_language"] = "en"
    page = client.get(round.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Why rejected" in page


def test_the_board_s_reason_is_recorded_through_the_round_page(
    client, computed, community_board, civil_servant, community_member
):
    body, voters = community_board
    round = services.submit_to_board(actor=civil_servant, round=computed, body=body)
    _vote(round.proposal, voters, Choice.AGAINST)
    url = reverse("budgeting:step", args=[round.pk, "afronden"])
    # a member cannot record it; a civil servant without a reason is refused
    client.force_login(community_member)
    assert client.post(url, {"reason": "Te duur."}).status_code == 403
    client.force_login(civil_servant)
    client.post(url, {"reason": ""})
    round.refresh_from_db()
    assert round.status == S.ADOPTION and round.rejection_reason == ""
    page = client.get(round.get_absolute_url()).content.decode()
    assert 'name="reason"' in page
    client.post(url, {"reason": "Te duur voor één jaar."})
    round.refresh_from_db()
    assert round.status == S.REJECTED and round.rejection_reason == "Te duur voor één jaar."


def test_only_a_civil_servant_puts_a_computed_round_to_the_board_once(
    computed, community_board, civil_servant, community_member, administrator
):
    body, _voters = community_board
    for actor in (community_member, administrator, None):
        with pytest.raises(ValidationError):
            services.submit_to_board(actor=actor, round=computed, body=body)
    assert not Proposal.objects.filter(kind=Proposal.Kind.FUND_PACKAGE).exists()
    services.submit_to_board(actor=civil_servant, round=computed, body=body)
    with pytest.raises(ValidationError):
        services.submit_to_board(actor=civil_servant, round=computed, body=body)
    assert Proposal.objects.filter(kind=Proposal.Kind.FUND_PACKAGE).count() == 1


def test_a_body_without_the_community_guarantee_is_refused(computed, civil_servant):
    body, _voters = board(community=2, institution=2)
    body.decision_rule.community_guarantee = False
    body.decision_rule.save()
    with pytest.raises(ValidationError, match="gemeenschapsgarantie"):
        services.submit_to_board(actor=civil_servant, round=computed, body=body)
    computed.refresh_from_db()
    assert computed.status == S.COMPUTED and computed.proposal is None
