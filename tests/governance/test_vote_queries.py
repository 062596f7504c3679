"""Casting a vote (issue 16) runs a fixed, small number of queries, at any number of voters.

Counted: every statement of the whole POST (session user and roles included), without the
transaction control (BEGIN/COMMIT here are the test's savepoints). The proposal's row is read
once (the columns the vote needs); each write of a secret ballot reads its voting window in its
own statement (`INSERT ... SELECT` from the window, under its lock).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from governance import tasks
from governance.models import (
    Choice,
    ElectorateEntry,
    Participation,
    ParticipationNotice,
    SealedBallot,
    Side,
    Vote,
)
from notifications.models import Event, Kind, Notification

from .factories import board, poll, tracking_code, voting

pytestmark = pytest.mark.django_db

CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")


def post_counted(client, url, data) -> tuple:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    sql = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(CONTROL)]
    return response, sql


def proposal_rows_read(sql: list[str]) -> int:
    """Full reads of the proposal's row (the window reads name only its three columns)."""
    return sum('"governance_proposal"."title"' in s for s in sql)


def window_reads(sql: list[str]) -> int:
    return sum(s.startswith('SELECT "governance_proposal"."status" AS "status"') for s in sql)


def guarded_inserts(sql: list[str], table: str) -> int:
    """INSERTs into `table` that write only while the window is open: the window is read in the
    statement itself (the status and both times compared)."""
    return sum(
        f'INSERT INTO "{table}"' in s
        and s.startswith('WITH w AS (SELECT 1 FROM "governance_proposal"')
        and all(f'"{column}"' in s for column in ("status", "opens_at", "closes_at"))
        for s in sql
    )


def other_voters(count: int) -> tuple[list[User], object]:
    """`count` voters, and what puts them on a proposal's roll before voting opens (the
    database freezes the roll then)."""
    users = User.objects.bulk_create(User(username=f"kiezer{i:05d}") for i in range(count))

    def on_the_roll(proposal) -> None:
        ElectorateEntry.objects.bulk_create(
            ElectorateEntry(proposal=proposal, user=user, side=Side.COMMUNITY) for user in users
        )

    return users, on_the_roll


@pytest.mark.parametrize("count", [10, 1000])
def test_a_board_vote_runs_at_most_eight_queries(client, community_member, count):
    # given a board vote with `count` votes already cast
    body, _voters = board(members=[community_member], community=2, institution=1)
    users, on_the_roll = other_voters(count)
    proposal = voting(body=body, before_opening=on_the_roll)
    Vote.objects.bulk_create(
        Vote(proposal=proposal, user=user, side=Side.COMMUNITY, choice=Choice.AGAINST)
        for user in users
    )
    client.force_login(community_member)
    url = f"/voorstellen/{proposal.pk}/stemmen/"
    for choice in (Choice.FOR, Choice.AGAINST):  # a first vote, then a changed one
        # when
        response, sql = post_counted(client, url, {"choice": choice})
        # then: session user, roles, the proposal with the voter's roll entry, the window under
        # its lock, the earlier vote, the vote, its history row
        assert response.status_code == 302, choice
        assert len(sql) <= 8, sql
        assert proposal_rows_read(sql) == 1
        assert window_reads(sql) == 1
        # the roll entry came with the proposal: no separate read of the roll (rule, service)
        assert not [s for s in sql if 'FROM "governance_electorateentry"' in s and "title" not in s]
    vote = Vote.objects.get(proposal=proposal, user=community_member)
    assert vote.choice == Choice.AGAINST
    assert vote.history.count() == 2


@pytest.mark.parametrize("count", [10, 1000])
def test_a_secret_ballot_runs_at_most_eight_queries(client, area, community_member, count):
    # given a sealed poll with `count` voters who took part already
    users, on_the_roll = other_voters(count)
    proposal = poll(areas=[area], before_opening=on_the_roll)
    Participation.objects.bulk_create(Participation(proposal=proposal, user=u) for u in users)
    SealedBallot.objects.bulk_create(
        SealedBallot(proposal=proposal, ciphertext=b"\0" * 208) for _ in users
    )
    client.force_login(community_member)
    url = f"/voorstellen/{proposal.pk}/stemmen/"

    # when the member votes for the first time
    response, sql = post_counted(client, url, {"choice": Choice.FOR})
    # then: the session's user with their roles (one query), the proposal (roll entry,
    # check-in, participation and key in the same query); the sealed ballot, written only while
    # the window is open (one statement, the window read in it under its lock); the
    # participation the same way (ON CONFLICT: a racing first vote writes nothing), with its
    # waiting "you took part" notice written by its trigger on PostgreSQL, in the same
    # transaction on SQLite (the beat writes the notice's event). The receipt page's menu reads the roles
    # the request has loaded already.
    postgresql = connection.vendor == "postgresql"
    assert response.status_code == 200
    assert tracking_code(response)
    assert len(sql) <= (4 if postgresql else 5), sql
    assert proposal_rows_read(sql) == 1
    assert sum('FROM "governance_proposal"' in s for s in sql) == 3  # the row, two windows
    assert window_reads(sql) == 0  # no separate reads: each write reads its window
    assert guarded_inserts(sql, "governance_sealedballot") == 1
    assert guarded_inserts(sql, "governance_participation") == 1
    assert not [s for s in sql if "notifications_" in s]
    # the notice: by the participation's trigger on PostgreSQL, a statement of its own on SQLite
    notice_writes = [s for s in sql if 'INSERT INTO "governance_participationnotice"' in s]
    assert len(notice_writes) == (0 if postgresql else 1)
    assert ParticipationNotice.objects.filter(proposal=proposal, user=community_member).exists()
    # the ballot's statement never names the voter: the ballot row holds only ciphertext
    ballot_insert = next(s for s in sql if 'INSERT INTO "governance_sealedballot"' in s)
    assert "user" not in ballot_insert

    # when they change their vote
    response, sql = post_counted(client, url, {"choice": Choice.AGAINST})
    # then the participation is known from the proposal's query: the ballot only
    assert response.status_code == 200
    assert len(sql) <= 3, sql
    assert proposal_rows_read(sql) == 1
    assert guarded_inserts(sql, "governance_sealedballot") == 1
    assert not [s for s in sql if 'INSERT INTO "governance_participation"' in s]
    assert Participation.objects.filter(proposal=proposal).count() == count + 1
    assert SealedBallot.objects.filter(proposal=proposal).count() == count + 2


def test_the_took_part_notice_waits_with_the_participation_and_the_beat_tells_it_once(
    client, area, community_member, django_capture_on_commit_callbacks
):
    # given a sealed poll
    proposal = poll(areas=[area])
    client.force_login(community_member)
    # when the member votes
    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": Choice.FOR})
    # then the request wrote the waiting notice with the participation, queued nothing for the
    # broker and wrote no event
    assert response.status_code == 200
    assert {callback.__name__ for callback in after_commit} <= {"_bump_soon"}  # page cache only
    waiting = ParticipationNotice.objects.get()
    assert (waiting.proposal_id, waiting.user_id) == (proposal.pk, community_member.pk)
    assert not Event.objects.filter(kind=Kind.PARTICIPATION).exists()
    # when the beat runs
    assert tasks.tell_participations.apply().get() == 1
    # then the voter is told they took part, and nothing of their choice or receipt
    event = Event.objects.get(kind=Kind.PARTICIPATION)
    assert set(event.notifications.values_list("user", flat=True)) == {community_member.pk}
    assert tracking_code(response) not in str(event.data)
    waiting.refresh_from_db()
    assert waiting.told.event == event and waiting.told.user == community_member
    # and a changed vote, and the beat again, tell nobody a second time
    client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": Choice.AGAINST})
    assert not ParticipationNotice.objects.filter(told=None).exists()
    assert tasks.tell_participations.apply().get() == 0
    assert Event.objects.filter(kind=Kind.PARTICIPATION).count() == 1


def test_a_notice_left_by_an_overlapping_run_tells_once(area, community_member):
    # given the same notice twice (a run that stopped after writing the event, before removing
    # its notice, then a vote's notice again)
    proposal = poll(areas=[area])
    for _ in range(2):
        ParticipationNotice.objects.create(
            proposal=proposal, user=community_member, moment=timezone.now()
        )
    # when the beat runs, then one event, and nothing waits any more
    assert tasks.tell_participations.apply().get() == 2
    assert Event.objects.filter(kind=Kind.PARTICIPATION).count() == 1
    told = set(ParticipationNotice.objects.values_list("told", flat=True))
    assert told == {Notification.objects.get(event__kind=Kind.PARTICIPATION, channel="site").pk}
