"""The money a frozen round promised its residents is not allocated elsewhere (sroi.promises).

Before, a round's budget was kept from other rounds only: the community board could adopt and
a civil servant carry out a fund allocation that took the same money, and the package the
residents voted for then could not be booked. Now the ledger's one door (`sroi.services
.allocate`) refuses it, and says why; the round's own package pays what its round promised; a
promise ends when the package is carried out or rejected. On PostgreSQL the database refuses the
same (budgeting migration 0011; tests/integration/test_budget_promises.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgeting import services
from budgeting.models import Round
from governance import services as governance
from governance.models import Choice, Proposal
from sroi import ledger_selectors, promises
from sroi.models import Allocation, Entry
from sroi.promises import Promise
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.clock import at_closing
from tests.governance.factories import adopted, board, decided, voting
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import funded

pytestmark = pytest.mark.django_db
S = Round.Status


def _board_allocation(fund, amount: str) -> Proposal:
    """An allocation from `fund` the community board adopted (not carried out yet)."""
    return adopted(voting(
        kind=Proposal.Kind.FUND_ALLOCATION, fund=fund, initiative=InitiativeFactory(),
        amount=Decimal(amount), purpose="Inrichting van de keuken",
    ))  # fmt: skip


@pytest.fixture
def promised(area, civil_servant, community_member):
    """Round A frozen with all of its fund's € 5.000, then € 1.000 more came in."""
    round = round_in(S.FROZEN, area=area, civil_servant=civil_servant, author=community_member,
                     costs=(1000, 2000, 3000), name="Ronde A")  # fmt: skip
    assert round.budget == Decimal("5000.00")
    funded("1000.00", fund=round.fund)
    return round


def test_a_board_allocation_takes_no_money_a_round_promised(promised, civil_servant):
    """Old code: the € 1.500 was carried out (the fund had € 6.000 available), and round A's
    residents voted on € 5.000 of which € 4.500 was left."""
    fund = promised.fund
    proposal = _board_allocation(fund, "1500.00")
    entries = Entry.objects.count()
    with pytest.raises(ValidationError) as raised:
        governance.execute_decision(decision=proposal.decision, actor=civil_servant)
    message = " ".join(raised.value.messages)
    assert "beloofd aan bewoners in een begrotingsronde (Ronde A)" in message
    assert "€\xa06.000,00 beschikbaar" in message and "maar €\xa01.000,00 vrij" in message
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED
    assert not Allocation.objects.exists() and Entry.objects.count() == entries
    # what is not promised can be allocated
    governance.execute_decision(
        decision=_board_allocation(fund, "1000.00").decision, actor=civil_servant
    )
    assert ledger_selectors.available(fund) == Decimal("5000.00") == promised.budget


def test_the_proposal_page_warns_whoever_carries_it_out(promised, civil_servant, client):
    proposal = _board_allocation(promised.fund, "1500.00")
    client.force_login(civil_servant)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="shortfall"' in page
    assert "€\xa05.000,00 daarvan is beloofd aan bewoners in een begrotingsronde (Ronde A)" in page
    # an allocation that fits in the free money gets no warning
    fits = _board_allocation(promised.fund, "1000.00")
    assert 'data-testid="shortfall"' not in client.get(fits.get_absolute_url()).content.decode()


def _vote_package(round: Round, civil_servant, choice) -> Proposal:
    body, voters = board(community=3, institution=2)
    round = services.submit_to_board(actor=civil_servant, round=round, body=body)
    proposal = governance.start_discussion(proposal=round.proposal, actor=None)
    proposal = governance.open_voting(
        proposal=proposal, closes_at=proposal.created_at + 30 * HOUR, actor=None
    )
    everyone = voters["community"] + voters["institution"]
    return decided(proposal, dict.fromkeys(everyone, choice))


@pytest.fixture
def two_promises(area, civil_servant, community_member):
    """Round A (€ 5.000) computed, its outcome plans 1 and 2 (€ 3.000); round B frozen with the
    € 2.000 that came in after A was frozen."""
    fund = funded("5000.00")

    def make(name, costs):
        return round_in(S.REVIEW, area=area, civil_servant=civil_servant,
                        author=community_member, costs=costs, name=name, fund=fund)  # fmt: skip

    second = make("Ronde B", (500, 1000, 1500))
    first = services.freeze_round(actor=civil_servant, round=make("Ronde A", (1000, 2000, 3000)))
    funded("2000.00", fund=fund)
    second = services.freeze_round(actor=civil_servant, round=second)
    assert (first.budget, second.budget) == (Decimal("5000.00"), Decimal("2000.00"))
    first = services.open_voting(actor=civil_servant, round=first)
    plans = {p.number: p for p in first.plans.exclude(number=None)}
    for i in range(3):
        voter = resident_of(area, civil_servant, f"kiezer-belofte-{i}")
        services.cast_ballot(actor=voter, round=first, plans=[plans[1], plans[2], plans[3]])
    with at_closing(first.voting_closes_at + HOUR):
        first = services.compute_outcome(actor=civil_servant, round=first)
    assert first.outcome["mes"] == [1, 2]
    return fund, first, second


def test_a_round_s_package_pays_what_it_promised_and_then_its_promise_ends(
    two_promises, civil_servant
):
    fund, first, second = two_promises
    package = _vote_package(first, civil_servant, Choice.FOR)
    decision = governance.execute_decision(decision=package.decision, actor=civil_servant)
    assert Allocation.objects.filter(decision_id=decision.pk).count() == 2
    assert ledger_selectors.available(fund) == Decimal("4000.00")
    # carried out, round A promises nothing more (before the civil servant settles it): its
    # € 2.000 left over is free, round B's € 2.000 is not
    first.refresh_from_db()
    assert first.status == S.ADOPTION
    assert promises.promised(fund) == [Promise("Ronde B", Decimal("2000.00"))]
    too_much = _board_allocation(fund, "2000.01")
    with pytest.raises(ValidationError, match=r"\(Ronde B\)"):
        governance.execute_decision(decision=too_much.decision, actor=civil_servant)
    governance.execute_decision(
        decision=_board_allocation(fund, "2000.00").decision, actor=civil_servant
    )
    assert ledger_selectors.available(fund) == Decimal("2000.00") == second.budget


def test_a_rejected_package_frees_its_money_before_the_round_is_settled(
    two_promises, civil_servant
):
    fund, first, _second = two_promises
    package = _vote_package(first, civil_servant, Choice.AGAINST)
    assert package.status == Proposal.Status.REJECTED
    # € 7.000 available, round B's € 2.000 promised: € 5.000 free for the board
    governance.execute_decision(
        decision=_board_allocation(fund, "5000.00").decision, actor=civil_servant
    )
    assert ledger_selectors.available(fund) == Decimal("2000.00")
