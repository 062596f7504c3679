"""A budget ballot comes inside its round's voting window by PostgreSQL's own clock (budgeting
migration 0012, `round_rules.BALLOT_IN_THE_WINDOW`). A round stays "voting" after closing time
until a civil servant computes it, which may be days; before, the database took a ballot written
by SQL in those days, and a ballot the web server's clock (running behind) let through."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import Role
from budgeting import demo, services
from budgeting.models import Ballot, BallotChoice, Round
from budgeting.services.ballots import NOT_OPEN
from governance import officing
from governance.models import CheckIn, OfficerShift
from sroi import demo as sroi_demo
from tests.accounts.factories import AreaFactory, UserFactory, verified_in_person
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.integration.sql import as_role, refused_as, run
from tests.owner import as_the_owner

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

INSERT_BALLOT = (
    "INSERT INTO budgeting_ballot (round_id, voter_id, cast_at, channel, identity_check)"
    " VALUES (%s, %s, %s, 'online', '')"
)
REFUSAL = "only while the round is voting, in its window"


def _round(days: int):
    """A voting round whose window (an hour before to a day after its making) was made `days`
    from now: in the past it has closed by the database's clock, in the future not opened yet;
    its area and civil servant."""
    actor = UserFactory(username=f"ambtenaar-venster{days}", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name=f"Venster {days}", slug=f"venster{days}")
    with freeze_time(timezone.now() + timedelta(days=days)):
        author = resident_of(area, actor, f"indiener-venster{days}")
        round = round_in(
            Round.Status.VOTING, area=area, civil_servant=actor, author=author,
            name=f"Venster {days}",
        )  # fmt: skip
    return round, area, actor


def test_sql_cannot_add_a_ballot_after_closing_time_while_the_round_still_votes(app_role):
    round, area, actor = _round(days=-3)
    assert round.status == Round.Status.VOTING  # not computed yet: a civil servant's step
    late = resident_of(area, actor, "te-laat")
    # back-dated too: the database asks its own clock, not the row's
    message = refused_as(
        app_role, INSERT_BALLOT, (round.pk, late.pk, round.voting_closes_at - HOUR)
    )
    assert REFUSAL in message
    assert not Ballot.objects.filter(round=round).exists()


def test_sql_cannot_add_a_ballot_before_voting_opens(app_role):
    round, area, actor = _round(days=3)
    assert round.status == Round.Status.VOTING and round.voting_opens_at > timezone.now()
    early = resident_of(area, actor, "te-vroeg")
    assert REFUSAL in refused_as(app_role, INSERT_BALLOT, (round.pk, early.pk, timezone.now()))
    assert not Ballot.objects.filter(round=round).exists()


def test_inside_the_window_the_application_s_role_still_writes_a_ballot(app_role, voting_round):
    round, area, actor = voting_round
    voter = resident_of(area, actor, "op-tijd")
    assert as_role(app_role, INSERT_BALLOT, (round.pk, voter.pk, timezone.now())) == 1


def test_a_web_server_whose_clock_runs_behind_gets_the_refusal_as_a_message_not_an_error():
    round, area, actor = _round(days=-3)
    with freeze_time(round.voting_opens_at):
        voter = resident_of(area, actor, "klok-achter")
    plans = list(round.plans.exclude(number=None).order_by("number"))[:3]
    # this server's clock says voting is open; the database's says it closed days ago
    with freeze_time(round.voting_closes_at - HOUR), pytest.raises(ValidationError) as refused:
        services.cast_ballot(actor=voter, round=round, plans=plans)
    assert refused.value.messages == [str(NOT_OPEN)]
    assert not Ballot.objects.filter(round=round).exists()
    assert not BallotChoice.objects.filter(ballot__round=round).exists()


def test_a_paper_ballot_entered_after_closing_time_is_refused_with_a_message():
    round, area, actor = _round(days=-3)
    with freeze_time(round.voting_opens_at):
        grandma = resident_of(area, actor, "oma-venster")
    home = officing.create_location(name="Huis Venster", address="Venster 1", actor=actor)
    at = round.voting_closes_at - HOUR
    with freeze_time(at - HOUR):
        officer = verified_in_person(UserFactory(username="officier-venster"))
        officing.add_shift(
            officer=officer, location=home, task=OfficerShift.Task.CHECK_IN,
            starts_at=at - HOUR, ends_at=at + HOUR, appointed_by="Besluit BK-12", actor=actor,
        )  # fmt: skip
    plans = list(round.plans.exclude(number=None).order_by("number"))[:3]
    with freeze_time(at), pytest.raises(ValidationError) as refused:
        services.enter_paper_ballot(
            actor=officer, round=round, location=home, voter=grandma, plans=plans,
            channel=Ballot.Channel.PAPER, identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        )  # fmt: skip
    assert refused.value.messages == [str(NOT_OPEN)]
    assert not Ballot.objects.filter(round=round).exists()


def test_the_application_s_role_cannot_switch_the_rule_off(app_role):
    trigger = run(
        "SELECT 1 FROM pg_trigger WHERE tgname LIKE 'pgtrigger_budget_ballot_only_while_voting%%'"
    )
    assert trigger == 1
    message = refused_as(
        app_role,
        "ALTER TABLE budgeting_ballot DISABLE TRIGGER ALL",
        error=DatabaseError,
    )
    assert "must be owner" in message


def test_the_demo_writes_last_year_s_ballots_and_leaves_the_rule_on():
    with as_the_owner():  # the demo is the owner's (tests/owner.py)
        call_command("seed_demo", verbosity=0, force=True)
    last_year = Round.objects.get(
        title=demo.LAST_YEAR_TITLE.format(year=sroi_demo.last_year(1, 1).year)
    )
    assert Ballot.objects.filter(round=last_year).count() == len(demo.LAST_YEAR_VOTERS)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname LIKE %s",
            ("pgtrigger_budget_ballot_only_while_voting%",),
        )
        assert cursor.fetchall() == [("O",)]  # on, for every session
