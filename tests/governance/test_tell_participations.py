"""The beat telling voters that they took part (`governance.notify.tell_participations`): one
event per voter and poll, never twice, in a few queries however many notices wait."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import ParticipationNotice
from governance.notify import tell_participations
from notifications.models import Channel, Event, Kind, Notification
from tests.accounts.factories import UserFactory

from .factories import poll

pytestmark = pytest.mark.django_db


def waiting(proposal, voters, moment):
    ParticipationNotice.objects.bulk_create(
        ParticipationNotice(proposal=proposal, user=voter, moment=moment) for voter in voters
    )


def told_queries(count: int, area) -> list[str]:
    """The statements of telling `count` and `count // 2` waiting notices in two polls."""
    first, second = poll(areas=[area]), poll(areas=[area])
    voters = UserFactory.create_batch(count)
    moment = timezone.now()
    waiting(first, voters, moment)
    waiting(second, voters[: count // 2], moment)
    with CaptureQueriesContext(connection) as queries:
        assert tell_participations() == count + count // 2
    return [query["sql"] for query in queries]


def test_telling_takes_the_same_queries_for_ten_voters_as_for_a_hundred(area, community_member):
    def reads(statements):
        return [sql for sql in statements if not sql.startswith("INSERT")]

    small, large = told_queries(10, area), told_queries(100, area)
    assert len(reads(small)) == len(reads(large)) <= 12
    # the events and their notifications: one INSERT each on PostgreSQL; SQLite splits a bulk
    # insert into pieces of at most 999 parameters
    inserts = len(large) - len(reads(large))
    assert inserts == 2 if connection.vendor == "postgresql" else inserts <= 8


def test_each_voter_is_told_once_per_poll_with_the_title_and_the_moment(area, community_member):
    # given two polls, a voter in both, and a voter told already by an earlier run
    first, second = poll(areas=[area], title="Bankjes"), poll(areas=[area], title="Speeltuin")
    both, once, earlier = UserFactory(email="both@example.org"), UserFactory(), UserFactory()
    moment = timezone.now() - timedelta(minutes=1)
    waiting(first, [both, once, earlier], moment)
    waiting(second, [both], moment)
    tell_participations()
    assert Notification.objects.filter(user=earlier, channel=Channel.SITE).count() == 1
    waiting(first, [earlier], moment)  # the same again: an overlapping run, the old task
    # when the beat tells what waits
    assert tell_participations() == 1
    # then every voter has one event per poll they took part in, and no notice waits
    events = Event.objects.filter(kind=Kind.PARTICIPATION)
    site = Notification.objects.filter(event__in=events, channel=Channel.SITE)
    assert sorted(site.values_list("user_id", "event__data__title")) == sorted(
        [
            (both.pk, "Bankjes"),
            (both.pk, "Speeltuin"),
            (once.pk, "Bankjes"),
            (earlier.pk, "Bankjes"),
        ]
    )
    assert events.count() == 4
    assert Notification.objects.filter(user=both, channel=Channel.EMAIL).count() == 2
    # and each notice stays, pointing at its voter's own message on the site about its poll
    # (the one of the earlier run for the notice written twice)
    notices = ParticipationNotice.objects.select_related("told__event")
    assert notices.count() == 5 and not notices.filter(told=None).exists()
    for notice in notices:
        assert (notice.told.user_id, notice.told.channel) == (notice.user_id, Channel.SITE)
        assert (
            notice.told.event.subject == f"governance.proposal:{notice.proposal_id}:participation"
        )
    event = events.filter(notifications__user=once, notifications__channel=Channel.SITE).get()
    assert event.subject == f"governance.proposal:{first.pk}:participation"
    assert event.url == first.get_absolute_url()
    assert event.data["moment"]["nl"]


def test_a_message_of_the_old_task_still_tells_once(area, community_member):
    from governance import tasks

    # given a vote whose notice the old task queued (before the notices waited in the database)
    proposal = poll(areas=[area], title="Bankjes")
    moment = timezone.now().isoformat()
    # when the worker gets it twice (delivered again), and once for a poll that is gone
    for _ in range(2):
        tasks.tell_participation.apply(args=(proposal.pk, community_member.pk, moment)).get()
    tasks.tell_participation.apply(args=(10**9, community_member.pk, moment)).get()
    # then the voter is told once
    site = Notification.objects.filter(
        user=community_member, channel=Channel.SITE, event__kind=Kind.PARTICIPATION
    )
    assert list(site.values_list("event__data__title", flat=True)) == ["Bankjes"]
