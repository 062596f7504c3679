"""Who votes in a budget round, and that every ballot tells its voter, kept by PostgreSQL against
SQL of the application's own role (insider review 2026-12-05, F5, F7 and F8,
docs/reviews/2026-12-05-budget.md; budgeting migration 0007): the round's areas and the
verification it asks are frozen with it, a ballot of anyone outside them is refused, and a ballot
however written writes its "you voted" notice in its own transaction."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from accounts.models import MemberVerification, VerificationRequirement
from budgeting import services
from budgeting.models import Ballot, BallotNotice, Round
from notifications import messages
from notifications.models import Channel, Kind, Notification
from tests.accounts.factories import AreaFactory, UserFactory
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.clock import at_closing
from tests.integration.sql import committed, refused, sql_ballot

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ELECTORATE = "only a verified resident of the round's areas"


def test_the_round_s_areas_and_verification_are_frozen_with_it(voting_round):
    round, area, actor = voting_round
    quarter = AreaFactory(name="Geinwijk", slug="geinwijk", parent=area)
    round.refresh_from_db()
    # frozen before the quarter was made: the round's area and its verification then
    assert round.electorate_area_ids == [area.pk]
    assert round.vote_requirement["methods"] == ["code", "digid", "in_person"]
    # neither is changed by SQL: not widened, not narrowed, not asked less
    for sql, params in (
        ("UPDATE budgeting_round SET electorate_area_ids = %s::jsonb WHERE id = %s",
         (f"[{area.pk}, {quarter.pk}]", round.pk)),
        ("UPDATE budgeting_round SET electorate_area_ids = '[]'::jsonb WHERE id = %s", (round.pk,)),
        ("UPDATE budgeting_round SET vote_requirement = jsonb_set(vote_requirement,"
         " '{account_is_enough}', 'true') WHERE id = %s", (round.pk,)),
        ("UPDATE budgeting_round SET vote_requirement = NULL WHERE id = %s", (round.pk,)),
    ):  # fmt: skip
        assert "Cannot update rows" in refused(sql, params)
    round.refresh_from_db()
    assert round.electorate_area_ids == [area.pk]
    assert round.vote_requirement["account_is_enough"] is False


def test_an_area_moved_by_sql_under_the_round_s_area_gets_no_vote(voting_round):
    round, area, actor = voting_round
    outside = AreaFactory(name="Driemond", slug="driemond-begroting")
    neighbour = resident_of(outside, actor, "buur-driemond")
    # an area moved under the round's area mid-vote
    committed("UPDATE accounts_area SET parent_id = %s WHERE id = %s", (area.pk, outside.pk))
    plans = list(round.plans.filter(number__lte=3))
    with pytest.raises(ValidationError):
        services.cast_ballot(actor=neighbour, round=round, plans=plans)
    assert ELECTORATE in refused_ballot(round, neighbour)
    assert not Ballot.objects.filter(voter=neighbour).exists()
    # a round frozen after the move counts the area as it is then
    later = round_in(
        Round.Status.VOTING, area=area, civil_servant=actor,
        author=resident_of(area, actor, "indiener-later"), name="Later",
    )  # fmt: skip
    assert outside.pk in later.electorate_area_ids
    services.cast_ballot(
        actor=neighbour, round=later, plans=list(later.plans.filter(number__lte=3))
    )


def refused_ballot(round, voter) -> str:
    with pytest.raises(DatabaseError) as raised:
        sql_ballot(round, voter)
    return str(raised.value)


def test_the_database_refuses_a_ballot_of_anyone_outside_the_frozen_electorate(voting_round):
    round, area, actor = voting_round
    stranger = UserFactory(username="niet-geverifieerd")
    elsewhere = resident_of(AreaFactory(name="Holendrecht", slug="holendrecht-b"), actor, "elders")
    revoked = resident_of(area, actor, "ingetrokken")
    committed("UPDATE accounts_memberverification SET revoked_at = now() WHERE user_id = %s",
        (revoked.pk,))  # fmt: skip
    by_digid = resident_of(area, actor, "met-digid")
    committed("UPDATE accounts_memberverification SET method = 'digid' WHERE user_id = %s",
        (by_digid.pk,))  # fmt: skip
    # a round frozen while the vote took no DigiD
    VerificationRequirement.objects.update_or_create(
        action="budget_vote", defaults={"digid": False}
    )
    no_digid = round_in(
        Round.Status.VOTING, area=area, civil_servant=actor,
        author=resident_of(area, actor, "indiener-codes"), name="Zonder DigiD",
    )  # fmt: skip
    for voter in (stranger, elsewhere, revoked):
        assert ELECTORATE in refused_ballot(round, voter), voter
    assert ELECTORATE in refused_ballot(no_digid, by_digid)
    assert not Ballot.objects.filter(voter__in=[stranger, elsewhere, revoked, by_digid]).exists()
    # a resident of the area, verified as the round asks, is taken (also by SQL: the service
    # asks the window and the rest); DigiD counts in the round frozen while it did
    sql_ballot(round, by_digid)
    assert MemberVerification.objects.get(user=by_digid).method == "digid"


def test_a_ballot_written_by_sql_writes_its_notice_in_its_transaction(voting_round):
    round, area, actor = voting_round
    voter = resident_of(area, actor, "nooit-gestemd")
    waiting = []

    def check(ballot_id):
        waiting.extend(BallotNotice.objects.filter(ballot_id=ballot_id).values_list("ballot_id"))

    # a ballot stuffed by SQL for a resident who never voted
    ballot_id = sql_ballot(round, voter, check=check)
    assert waiting == [(ballot_id,)]  # written before the ballot's transaction ended
    # the resident is told before any outcome counts the ballot
    with at_closing(round.voting_closes_at + HOUR):
        services.compute_outcome(actor=actor, round=round)
    told = Notification.objects.get(user=voter, channel=Channel.SITE)
    assert BallotNotice.objects.get(ballot_id=ballot_id).told == told
    event = told.event
    assert event.kind == Kind.BUDGET_BALLOT
    subject, text = messages.render(event.kind, event.data)
    assert subject == "U hebt gestemd: begrotingsronde Gein 2026 (online)"


def test_a_ballot_through_the_service_tells_its_voter_in_its_transaction(voting_round):
    round, area, actor = voting_round
    voter = resident_of(area, actor, "kiezer-dienst")
    plans = list(round.plans.filter(number__lte=3))
    services.cast_ballot(actor=voter, round=round, plans=plans)
    # the trigger's notice became the message at once; none is told twice
    assert not BallotNotice.objects.filter(told=None).exists()
    assert Notification.objects.filter(user=voter, channel=Channel.SITE).count() == 1
    with at_closing(round.voting_closes_at + HOUR):
        services.compute_outcome(actor=actor, round=round)
    assert Notification.objects.filter(user=voter, channel=Channel.SITE).count() == 1
