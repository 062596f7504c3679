"""A vote, a participation and a sealed ballot come inside the proposal's voting window by
PostgreSQL's own clock (governance migration 0030, `models.voting.IN_THE_WINDOW`). A poll stays
"voting" after its closing time until it is closed (the beat, within a minute; longer when the
beat is down); before, SQL as the application's role could add a participation and a sealed
ballot then, or change a board vote, and a web server whose clock ran behind let a vote in."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from accounts import services as account_services
from accounts.models import Role
from governance import officing, services
from governance.models import CheckIn, Choice, OfficerShift, Participation, SealedBallot, Vote
from tests.accounts.factories import AreaFactory, UserFactory, verified_in_person
from tests.clock import wait_until
from tests.governance.factories import board, in_discussion, poll, voting
from tests.integration.sql import as_role, refused_as, run
from tests.owner import as_the_owner

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REFUSAL = "while voting is open only"
PARTICIPATION = (
    "INSERT INTO governance_participation (id, proposal_id, user_id, channel)"
    " VALUES (gen_random_uuid(), %s, %s, 'online')"
)
SEALED = (
    "INSERT INTO governance_sealedballot (id, proposal_id, ciphertext)"
    " VALUES (gen_random_uuid(), %s, '\\x00'::bytea)"
)
VOTE = (
    "INSERT INTO governance_vote (proposal_id, user_id, side, choice, cast_at)"
    " VALUES (%s, %s, %s, 'for', now())"
)


def _poll(days: int):
    """A sealed poll opened `days` from now for an hour (in the past: closed by the database's
    clock, the beat not run yet; in the future: not open yet), and its voters."""
    actor = UserFactory(username=f"ambtenaar-peiling{days}", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name=f"Peiling {days}", slug=f"peiling{days}")
    with freeze_time(timezone.now() + timedelta(days=days)):
        people = [UserFactory(username=f"peiling{days}-{i}") for i in range(3)]
        for person in people:
            account_services.verify_member(user=person, area=area, actor=actor)
        proposal = poll(areas=[area])
    assert proposal.status == proposal.Status.VOTING
    return proposal, people, actor


def test_sql_cannot_add_a_participation_or_a_sealed_ballot_after_closing_time(app_role):
    proposal, people, _actor = _poll(days=-2)
    assert REFUSAL in refused_as(app_role, PARTICIPATION, (proposal.pk, people[0].pk))
    assert REFUSAL in refused_as(app_role, SEALED, (proposal.pk,))
    assert not Participation.objects.filter(proposal=proposal).exists()
    assert not SealedBallot.objects.filter(proposal=proposal).exists()


def test_sql_cannot_add_a_participation_before_voting_opens(app_role):
    proposal, people, _actor = _poll(days=2)
    assert proposal.opens_at > timezone.now()
    assert REFUSAL in refused_as(app_role, PARTICIPATION, (proposal.pk, people[0].pk))
    assert REFUSAL in refused_as(app_role, SEALED, (proposal.pk,))


def test_inside_the_window_the_application_s_role_still_writes(app_role):
    proposal, people, _actor = _poll(days=0)
    assert as_role(app_role, SEALED, (proposal.pk,)) == 1
    assert as_role(app_role, PARTICIPATION, (proposal.pk, people[0].pk)) == 1


def test_sql_cannot_cast_or_change_a_board_vote_after_closing_time(app_role):
    body, voters = board(community=2, institution=1)
    proposal = services.open_voting(
        proposal=in_discussion(body=body), closes_at=timezone.now() + timedelta(seconds=2),
        actor=None,
    )  # fmt: skip
    first, second = voters["community"]
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=first)
    wait_until(proposal.closes_at)
    # the window shut by the clock; nobody has closed the vote yet
    proposal.refresh_from_db()
    assert proposal.status == proposal.Status.VOTING
    assert REFUSAL in refused_as(app_role, VOTE, (proposal.pk, second.pk, "community"))
    assert REFUSAL in refused_as(
        app_role,
        "UPDATE governance_vote SET choice = 'against' WHERE proposal_id = %s",
        (proposal.pk,),
    )
    assert REFUSAL in refused_as(
        app_role, "DELETE FROM governance_vote WHERE proposal_id = %s", (proposal.pk,)
    )
    assert list(Vote.objects.filter(proposal=proposal).values_list("choice", flat=True)) == [
        Choice.FOR
    ]


def test_a_web_server_whose_clock_runs_behind_hears_closed_and_writes_nothing():
    proposal, people, _actor = _poll(days=-2)
    # this server's clock says the poll is open; the database's says it closed two days ago
    inside = freeze_time(proposal.closes_at - timedelta(minutes=5))
    with inside, pytest.raises(ValidationError) as refused:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=people[0])
    assert refused.value.code == "closed"
    assert not SealedBallot.objects.filter(proposal=proposal).exists()
    assert not Participation.objects.filter(proposal=proposal).exists()


def test_a_board_vote_with_the_server_s_clock_behind_hears_closed():
    body, voters = board(community=2, institution=1)
    with freeze_time(timezone.now() - timedelta(days=2)):
        proposal = voting(body=body, minutes=60)
    inside = freeze_time(proposal.closes_at - timedelta(minutes=5))
    with inside, pytest.raises(ValidationError) as refused:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=voters["community"][0])
    assert refused.value.code == "closed"
    assert not Vote.objects.filter(proposal=proposal).exists()


def test_a_check_in_with_the_server_s_clock_behind_hears_closed():
    proposal, people, actor = _poll(days=-2)
    inside = proposal.closes_at - timedelta(minutes=5)
    home = officing.create_location(name="Buurthuis Venster", address="Plein 2", actor=actor)
    with freeze_time(inside - timedelta(minutes=10)):
        officing.offer_poll_at(proposal=proposal, location=home, actor=actor)
        officer = verified_in_person(UserFactory(username="stembureau-venster"))
        officing.add_shift(
            officer=officer, location=home, task=OfficerShift.Task.CHECK_IN,
            starts_at=inside - timedelta(minutes=10), ends_at=inside + timedelta(hours=1),
            appointed_by="Besluit 30", actor=actor,
        )  # fmt: skip
    with freeze_time(inside), pytest.raises(ValidationError) as refused:
        officing.check_in(
            proposal=proposal, location=home, voter=people[0], channel=CheckIn.Channel.PAPER,
            identity_check=CheckIn.IdentityCheck.ID_DOCUMENT, actor=officer,
        )  # fmt: skip
    assert refused.value.code == "closed"
    assert not CheckIn.objects.filter(proposal=proposal).exists()
    assert not Participation.objects.filter(proposal=proposal).exists()


RULES = (
    "pgtrigger_vote_only_while_voting%",
    "pgtrigger_participation_only_while_voting%",
    "pgtrigger_sealed_ballot_only_while_voting%",
    "pgtrigger_budget_ballot_only_while_voting%",
    # closing, deciding, computing not before closing time (test_closing_time.py)
    "pgtrigger_proposal_closes_at_its_time%",
    "pgtrigger_decision_after_the_vote_closes%",
    "pgtrigger_round_computed_after_voting_closes%",
)


def _switches() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname LIKE ANY(%s) ORDER BY tgname",
            [list(RULES)],
        )
        return [state for (state,) in cursor.fetchall()]


def test_the_application_s_role_cannot_switch_the_rules_off(app_role):
    tables = (
        "governance_vote", "governance_participation", "governance_sealedballot",
        "governance_proposal", "governance_decision", "budgeting_round",
    )  # fmt: skip
    for table in tables:
        message = refused_as(app_role, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        assert "must be owner" in message
    assert _switches() == ["O"] * len(RULES)


def test_the_demo_tells_the_past_and_leaves_every_window_rule_on():
    with as_the_owner():  # the demo is the owner's (tests/owner.py)
        call_command("seed_demo", verbosity=0, force=True)
    assert Vote.objects.exists() and Participation.objects.exists()
    assert _switches() == ["O"] * len(RULES)  # on again, for every session
    assert run("SELECT 1 FROM governance_proposal WHERE status = 'executed'") >= 1
