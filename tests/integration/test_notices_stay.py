"""A ballot in someone's name always reaches them, against SQL of the application's own role
(governance migration 0028, budgeting 0009, notifications 0009): a "you took part" or "you
voted" notice is never deleted or rewritten; it is marked told only by its voter's own message
on the site, of its kind, about its poll or round; and that message is not deleted, moved to
someone else or rewritten. Before, the application's role deleted a waiting notice, and the
voter of a ballot written by SQL never heard of it."""

import pytest
from django.db import transaction

from accounts import services as account_services
from accounts.models import Role
from budgeting.models import BallotNotice
from budgeting.notify import tell_voters
from governance import services
from governance.models import Choice, ParticipationNotice
from governance.notify import tell_participations
from notifications.models import Channel, Kind, Notification
from tests.accounts.factories import AreaFactory, UserFactory
from tests.budgeting.factories import resident_of
from tests.governance.factories import poll
from tests.integration.sql import as_role, refused, refused_as, run, sql_ballot

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def members():
    actor = UserFactory(username="ambtenaar-melding", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name="Gaasperdam", slug="gaasperdam-melding")
    people = [UserFactory(username=f"melding{i}") for i in range(3)]
    for person in people:
        account_services.verify_member(user=person, area=area, actor=actor)
    return area, people


def _site(user, kind, subject):
    return Notification.objects.get(
        user=user, channel=Channel.SITE, event__kind=kind, event__subject=subject
    )


def test_a_participation_written_by_sql_is_told_and_stays_told(members, app_role, client):
    area, (absent, other, _third) = members
    proposal, second = poll(areas=[area], title="Bankjes"), poll(areas=[area], title="Bomen")
    subject = f"governance.proposal:{proposal.pk}:participation"
    # given messages an insider could point a notice at: another voter's, about this poll;
    # the absent member's own, about another poll
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=other)
    services.cast_vote(proposal=second, choice=Choice.FOR, actor=absent)
    assert tell_participations() == 2
    others = _site(other, Kind.PARTICIPATION, subject)
    other_poll = _site(absent, Kind.PARTICIPATION, f"governance.proposal:{second.pk}:participation")
    own_email = Notification.objects.filter(user=absent, channel=Channel.EMAIL).first()
    # when the application's role writes that the absent member took part
    as_role(
        app_role,
        "INSERT INTO governance_participation (id, proposal_id, user_id, channel) "
        "VALUES (gen_random_uuid(), %s, %s, 'online')",
        (proposal.pk, absent.pk),
    )
    (notice,) = ParticipationNotice.objects.filter(proposal=proposal, user=absent)
    # then it cannot make the notice go away, or call it told with any other message
    assert "Cannot delete rows" in refused_as(
        app_role, "DELETE FROM governance_participationnotice"
    )
    for wrong in (others, other_poll, own_email):
        if wrong is not None:
            message = refused_as(
                app_role,
                "UPDATE governance_participationnotice SET told_id = %s WHERE id = %s",
                (wrong.pk, notice.pk),
            )
            assert "told by its voter's own message" in message
    assert "never rewritten" in refused_as(
        app_role, "UPDATE governance_participationnotice SET moment = now() - interval '1 day' WHERE id = %s",
        (notice.pk,),
    )  # fmt: skip
    # when the beat runs, the member has the message in their inbox
    assert tell_participations() == 1
    notice.refresh_from_db()
    told = notice.told
    assert (told.user, told.channel, told.event.subject) == (absent, Channel.SITE, subject)
    client.force_login(absent)
    assert "Bankjes" in client.get("/meldingen/").content.decode()
    # and nobody takes it back: not the notice, not the message, not its event
    for sql, params in (
        ("DELETE FROM governance_participationnotice WHERE id = %s", (notice.pk,)),
        ("UPDATE governance_participationnotice SET told_id = NULL WHERE id = %s", (notice.pk,)),
        (
            "UPDATE governance_participationnotice SET told_id = %s WHERE id = %s",
            (others.pk, notice.pk),
        ),
        ("DELETE FROM notifications_notification WHERE id = %s", (told.pk,)),
        ("DELETE FROM notifications_event WHERE id = %s", (told.event_id,)),
        ("UPDATE notifications_notification SET user_id = %s WHERE id = %s", (other.pk, told.pk)),
        ("UPDATE notifications_notification SET channel = 'letter' WHERE id = %s", (told.pk,)),
        ("UPDATE notifications_event SET subject = 'x' WHERE id = %s", (told.event_id,)),
        ("UPDATE notifications_event SET kind = 'comment' WHERE id = %s", (told.event_id,)),
        ("UPDATE notifications_event SET data = '{}' WHERE id = %s", (told.event_id,)),
        ("UPDATE notifications_event SET url = '/elders/' WHERE id = %s", (told.event_id,)),
    ):
        refused_as(app_role, sql, params)
    # not even the tables' owner, short of dropping the triggers
    assert "Cannot delete rows" in refused("DELETE FROM governance_participationnotice")
    refused("DELETE FROM notifications_notification WHERE id = %s", (told.pk,))
    # what the application itself does to messages still works: read, sent, a link forgotten
    as_role(app_role, "UPDATE notifications_notification SET read_at = now() WHERE id = %s",
            (told.pk,))  # fmt: skip
    as_role(app_role, "UPDATE notifications_event SET url = '' WHERE id = %s", (told.event_id,))
    assert Notification.objects.filter(pk=told.pk, read_at__isnull=False).exists()
    assert run("SELECT 1 FROM governance_participationnotice WHERE told_id = %s", (told.pk,)) == 1


def test_a_budget_ballot_written_by_sql_is_told_and_stays_told(voting_round, app_role):
    round, area, actor = voting_round
    voter = resident_of(area, actor, "nooit-gestemd-melding")
    neighbour = resident_of(area, actor, "buur-melding")
    subject = f"budgeting.round:{round.pk}:ballot"
    # given a neighbour who voted and was told
    sql_ballot(round, neighbour)
    with transaction.atomic():
        tell_voters(round_id=round.pk)
    theirs = _site(neighbour, Kind.BUDGET_BALLOT, subject)
    # when a ballot is written by SQL for a resident who never voted
    ballot_id = sql_ballot(round, voter)
    notice = BallotNotice.objects.get(ballot_id=ballot_id)
    # then its notice cannot be deleted, or marked told by the neighbour's message
    assert "Cannot delete rows" in refused_as(app_role, "DELETE FROM budgeting_ballotnotice")
    assert "told by its voter's own message" in refused_as(
        app_role,
        "UPDATE budgeting_ballotnotice SET told_id = %s WHERE id = %s",
        (theirs.pk, notice.pk),
    )
    # once told, the message is the resident's, and stays
    with transaction.atomic():
        assert tell_voters(round_id=round.pk) == 1
    notice.refresh_from_db()
    assert notice.told == _site(voter, Kind.BUDGET_BALLOT, subject)
    for sql, params in (
        ("UPDATE budgeting_ballotnotice SET told_id = NULL WHERE id = %s", (notice.pk,)),
        ("DELETE FROM notifications_notification WHERE id = %s", (notice.told_id,)),
        ("UPDATE notifications_notification SET user_id = %s WHERE id = %s",
         (neighbour.pk, notice.told_id)),
    ):  # fmt: skip
        refused_as(app_role, sql, params)
    assert BallotNotice.objects.filter(told__user=voter).count() == 1
