"""Sealed polls on PostgreSQL: what a DBA sees (xmin, ctid, row order), what is left after the
tally, concurrent re-votes, and the triggers that refuse rewrites (docs/voting-threat-model.md)."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts import services as account_services
from accounts.models import Role
from governance import services
from governance.models import Ballot, Choice, Participation, PollKey, SealedBallot
from tests.accounts.factories import AreaFactory, UserFactory
from tests.governance.factories import count_poll, poll

from .concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CHOICES = (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN)


@pytest.fixture
def voters():
    actor = UserFactory(username="ambtenaar-sealed", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name="Gein", slug="gein-sealed")
    people = [UserFactory(username=f"verzegeld{i:02d}") for i in range(12)]
    for person in people:
        account_services.verify_member(user=person, area=area, actor=actor)
    return area, people


def rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_open_poll_rows_hold_only_ciphertext_and_no_link_by_xmin(voters):
    area, people = voters
    proposal = poll(areas=[area])
    for i, person in enumerate(people):
        services.cast_vote(proposal=proposal, choice=CHOICES[i % 3], actor=person)
    # The sealed ballot table has no voter, no time: only its key, its poll and ciphertext.
    columns = {
        name
        for (name,) in rows(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'governance_sealedballot'"
        )
    }
    assert columns == {"id", "proposal_id", "ciphertext"}
    sealed = rows("SELECT xmin::text, ctid::text, ciphertext FROM governance_sealedballot")
    taken = rows("SELECT xmin::text, ctid::text FROM governance_participation")
    assert len(sealed) == len(taken) == len(people)
    # every ciphertext has the same length and holds no readable choice, voter or code
    assert len({len(bytes(c)) for _x, _c, c in sealed}) == 1
    for _x, _c, ciphertext in sealed:
        for word in (*(c.encode() for c in CHOICES), b"verzegeld"):
            assert word not in bytes(ciphertext)
    # no transaction wrote both a participation and a ballot
    assert not {x for x, _c, _t in sealed} & {x for x, _c in taken}
    # nothing readable to tie to the participations' order: not even the count of a choice
    assert not Ballot.objects.filter(proposal=proposal).exists()


def test_after_counting_sealed_rows_and_key_are_gone(voters):
    area, people = voters
    proposal = poll(areas=[area])
    for i, person in enumerate(people):
        services.cast_vote(proposal=proposal, choice=CHOICES[i % 3], actor=person)
    participation_xmins = {x for (x,) in rows("SELECT xmin::text FROM governance_participation")}
    decision = count_poll(proposal)
    assert rows("SELECT count(*) FROM governance_sealedballot") == [(0,)]
    key = PollKey.objects.get(proposal=proposal)
    assert key.wrapped_private_key is None and key.destroyed_at is not None
    assert rows(
        "SELECT count(*) FROM governance_trusteeshare "
        "WHERE pickup_box IS NOT NULL OR submitted_box IS NOT NULL"
    ) == [(0,)]
    # the counted ballots were written together (one transaction), in random order
    ballot_xmins = {x for (x,) in rows("SELECT xmin::text FROM governance_ballot")}
    assert len(ballot_xmins) == 1 and not ballot_xmins & participation_xmins
    assert Ballot.objects.filter(proposal=proposal).count() == len(people)
    assert decision.result.turnout == len(people) == Participation.objects.count()


def test_concurrent_revotes_of_one_voter_leave_one_counted_ballot(voters):
    area, people = voters
    proposal = poll(areas=[area])
    voter = people[0]

    results = run_together(
        12, lambda i: services.cast_vote(proposal=proposal, choice=CHOICES[i % 3], actor=voter)
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 12  # twelve receipts, each a different code
    assert Participation.objects.filter(proposal=proposal).count() == 1
    assert SealedBallot.objects.filter(proposal=proposal).count() == 12
    decision = count_poll(proposal)
    (counted,) = Ballot.objects.filter(proposal=proposal)
    assert counted.tracking_code in results
    assert decision.result.turnout == 1


def refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def test_the_database_refuses_rewrites(voters):
    area, people = voters
    proposal = poll(areas=[area])
    for person in people[:3]:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=person)
    assert refused("UPDATE governance_sealedballot SET ciphertext = ciphertext")
    assert refused("DELETE FROM governance_sealedballot")
    assert refused("UPDATE governance_participation SET user_id = user_id")
    assert refused("DELETE FROM governance_participation")
    count_poll(proposal)
    assert refused("UPDATE governance_ballot SET choice = 'against'")
    assert refused("DELETE FROM governance_ballot")
    assert Ballot.objects.filter(choice=Choice.FOR).count() == 3
    assert Participation.objects.count() == 3


def test_the_poll_key_is_kept_as_made_until_the_count_erases_its_private_half(voters):
    """A public key of one's own in the poll's place would seal every later ballot to oneself
    (an insider review read them, each beside its participation); a deleted key let the poll be
    decided without its ballots. Only the count erases the wrapped private key, once."""
    area, people = voters
    proposal = poll(areas=[area])
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=people[0])
    key = PollKey.objects.get(proposal=proposal)
    own = bytes(32)
    for sql, params in [
        ("UPDATE governance_pollkey SET public_key = %s", [own]),
        ("UPDATE governance_pollkey SET wrapped_private_key = %s", [own]),
        ("UPDATE governance_pollkey SET threshold = 1, trustee_count = 1", []),
        ("UPDATE governance_pollkey SET roll_sha256 = 'x', roll_size = 1", []),
        ("UPDATE governance_pollkey SET wrapped_private_key = NULL", []),  # without its moment
        ("UPDATE governance_pollkey SET destroyed_at = now()", []),  # the key kept beside it
        ("DELETE FROM governance_pollkey", []),
    ]:
        assert refused(sql, params), sql
    assert bytes(PollKey.objects.get(pk=key.pk).public_key) == bytes(key.public_key)

    count_poll(proposal)  # the count erases the private half, with the moment
    erased = PollKey.objects.get(pk=key.pk)
    assert erased.wrapped_private_key is None and erased.destroyed_at is not None
    assert refused("UPDATE governance_pollkey SET destroyed_at = now() - interval '1 day'")
    assert refused("UPDATE governance_pollkey SET wrapped_private_key = %s", [own])
    assert refused("DELETE FROM governance_pollkey")


def test_the_worker_tells_each_voter_once_that_they_took_part(voters):
    from celery import current_app

    from governance.models import ParticipationNotice
    from notifications.models import Channel, Event, Kind, Notification

    from .conftest import wait_until

    # given a sealed poll
    area, people = voters
    proposal = poll(areas=[area])
    # when three members vote, one of them twice
    codes = [
        services.cast_vote(proposal=proposal, choice=CHOICES[i % 3], actor=person)
        for i, person in enumerate(people[:3])
    ]
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=people[0])
    # then three notices wait, written with the participations (a changed vote adds none)
    assert ParticipationNotice.objects.count() == 3
    # when the beat sends its task to the worker, then the worker tells each voter once
    current_app.send_task("governance.tell_participations")
    told = Notification.objects.filter(event__kind=Kind.PARTICIPATION, channel=Channel.SITE)
    wait_until(lambda: told.count() == 3, 30, "three took-part notices")
    waiting = ParticipationNotice.objects.filter(told=None)
    wait_until(lambda: not waiting.exists(), 30, "the notices marked told")
    assert set(told.values_list("user", flat=True)) == {p.pk for p in people[:3]}
    assert Event.objects.filter(kind=Kind.PARTICIPATION).count() == 3
    # and none of them holds a receipt code
    stored = " ".join(str(e.data) for e in Event.objects.filter(kind=Kind.PARTICIPATION))
    assert not [code for code in codes if code in stored]


def test_a_participation_and_its_notice_are_written_by_one_statement_or_not_at_all(voters):
    from django.test.utils import CaptureQueriesContext

    from governance.models import ParticipationNotice

    # given a sealed poll
    area, people = voters
    proposal = poll(areas=[area])
    # when a member votes, then one statement writes their participation, and its trigger
    # the notice
    with CaptureQueriesContext(connection) as queries:
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=people[0])
    writes = [q["sql"] for q in queries if "governance_participation" in q["sql"]]
    assert len(writes) == 1 and 'INSERT INTO "governance_participation"' in writes[0]
    assert ParticipationNotice.objects.filter(user=people[0], proposal=proposal).count() == 1
    # in one transaction: the same xmin on both rows
    (taken,) = rows("SELECT xmin::text FROM governance_participation")
    (told,) = rows("SELECT xmin::text FROM governance_participationnotice")
    assert taken == told
    # when the database refuses the notice, then the participation is not stored either
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_notice() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'no notice'; END $$; "
            "CREATE TRIGGER refuse_notice BEFORE INSERT ON governance_participationnotice "
            "FOR EACH ROW EXECUTE FUNCTION refuse_notice()"
        )
    try:
        with pytest.raises(DatabaseError, match="no notice"):
            services.cast_vote(proposal=proposal, choice=Choice.AGAINST, actor=people[1])
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER refuse_notice ON governance_participationnotice; "
                "DROP FUNCTION refuse_notice()"
            )
    assert not Participation.objects.filter(user=people[1]).exists()
    assert ParticipationNotice.objects.count() == 1


def test_a_participation_written_by_sql_tells_its_voter_too(voters):
    """Insider review F7: participations (with ballots to match) written by SQL for people who
    did not vote went unnoticed, as the notice was the application's doing. The database
    writes it now, so the beat tells them, as any voter."""
    from governance.models import ParticipationNotice
    from governance.notify import tell_participations
    from notifications.models import Kind, Notification

    # given a sealed poll and a member on its roll who does not vote
    area, people = voters
    proposal = poll(areas=[area])
    absent = people[2]
    # when somebody with the database writes that they took part
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO governance_participation (id, proposal_id, user_id, channel) "
            "VALUES (gen_random_uuid(), %s, %s, 'online')",
            [proposal.pk, absent.pk],
        )
    # then their notice waits, and the beat tells them
    assert ParticipationNotice.objects.filter(proposal=proposal, user=absent).count() == 1
    assert tell_participations() == 1
    told = Notification.objects.filter(event__kind=Kind.PARTICIPATION, user=absent)
    assert told.exists()
