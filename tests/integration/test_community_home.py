"""Community Homes on PostgreSQL: two officers checking in one resident at the same moment
record one check-in and one participation; the database refuses rewriting a check-in; closing a
Home racing an offer of a poll there never leaves a running poll at a closed Home; a shift is
changed once by two tabs, and never after its Home closed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from freezegun import freeze_time

from accounts import services as account_services
from accounts.models import Role
from governance import officing, services
from governance.models import CheckIn, Choice, OfficerShift, Participation
from tests.accounts.factories import AreaFactory, UserFactory, verified_in_person
from tests.clock import at_closing
from tests.governance.factories import count_poll, poll

from .concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def station():
    actor = UserFactory(username="ambtenaar-buurthuis", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name="Holendrecht", slug="holendrecht-buurthuis")
    people = [UserFactory(username=f"buurthuis{i:02d}") for i in range(4)]
    for person in people:
        account_services.verify_member(user=person, area=area, actor=actor)
    proposal = poll(areas=[area])
    home = officing.create_location(name="Buurthuis Holendrecht", address="Plein 1", actor=actor)
    officing.offer_poll_at(proposal=proposal, location=home, actor=actor)
    officers = []
    for i in range(6):
        officer = verified_in_person(UserFactory(username=f"stembureau{i:02d}"))
        officing.add_shift(
            officer=officer,
            location=home,
            starts_at=timezone.now() - timedelta(hours=1),
            ends_at=timezone.now() + timedelta(hours=2),
            task=OfficerShift.Task.CHECK_IN,
            appointed_by="Besluit 1",
            actor=actor,
        )
        officers.append(officer)
    return proposal, home, officers, people


def _counter(home, username):
    counter = verified_in_person(UserFactory(username=username))
    officing.add_shift(
        officer=counter,
        location=home,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=2),
        task=OfficerShift.Task.COUNTING,
        appointed_by="Besluit 1",
        actor=None,
    )
    return counter


def test_officers_checking_in_one_resident_at_once_record_one(station):
    proposal, home, officers, people = station
    voter = people[0]

    results = run_together(
        len(officers),
        lambda i: officing.check_in(
            proposal=proposal,
            location=home,
            voter=voter,
            channel=CheckIn.Channel.PAPER,
            identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
            actor=officers[i],
        ),
    )

    done = [r for r in results if isinstance(r, CheckIn)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(done) == 1 and len(refused) == len(officers) - 1, results
    assert all(r.code == "checked_in" for r in refused)
    assert CheckIn.objects.filter(proposal=proposal, voter=voter).count() == 1
    assert Participation.objects.filter(proposal=proposal, user=voter).count() == 1


def test_online_votes_racing_a_paper_check_in_are_never_counted(station):
    proposal, home, officers, people = station
    voter = people[1]

    def work(i):
        if i == 0:
            return officing.check_in(
                proposal=proposal,
                location=home,
                voter=voter,
                channel=CheckIn.Channel.PAPER,
                identity_check=CheckIn.IdentityCheck.POLL_CARD,
                actor=officers[0],
            )
        return services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=voter)

    run_together(6, work)
    assert CheckIn.objects.filter(voter=voter).count() == 1
    assert Participation.objects.filter(user=voter).count() == 1
    with at_closing(proposal.closes_at, tick=True):
        services.close_voting(actor=None, proposal=proposal)
    counters = [_counter(home, name) for name in ("teller-a", "teller-b")]
    count = officing.enter_paper_count(
        proposal=proposal,
        location=home,
        shift=CheckIn.objects.get(voter=voter).shift,
        envelopes=1,
        voor=0,
        tegen=1,
        onthouding=0,
        blank=0,
        invalid=0,
        actor=counters[0],
    )
    officing.confirm_paper_count(count=count, actor=counters[1])
    decision = count_poll(proposal)
    # the paper vote (in the confirmed count) counts, never the online ones
    assert (decision.tally["voor"], decision.tally["tegen"]) == (0, 1)


def test_the_database_refuses_rewriting_a_check_in_or_a_paper_count(station):
    proposal, home, officers, people = station
    officing.check_in(
        proposal=proposal,
        location=home,
        voter=people[2],
        channel=CheckIn.Channel.PAPER,
        identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        actor=officers[0],
    )
    with at_closing(proposal.closes_at, tick=True):
        services.close_voting(actor=None, proposal=proposal)
    officing.enter_paper_count(
        proposal=proposal,
        location=home,
        shift=CheckIn.objects.get().shift,
        envelopes=1,
        voor=1,
        tegen=0,
        onthouding=0,
        blank=0,
        invalid=0,
        actor=_counter(home, "teller-c"),
    )
    for sql in (
        "UPDATE governance_checkin SET channel = 'assisted'",
        "DELETE FROM governance_checkin",
        "UPDATE governance_papercount SET voor = 5",
        "DELETE FROM governance_papercount",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert CheckIn.objects.get().channel == CheckIn.Channel.PAPER


def test_the_database_seals_no_paper_count_above_its_check_ins(station):
    """An explanation covered any difference, more votes than people too (insider review); the
    database now seals a batch's count only within its paper check-ins, and with their number."""
    proposal, home, officers, people = station
    officing.check_in(
        proposal=proposal,
        location=home,
        voter=people[3],
        channel=CheckIn.Channel.PAPER,
        identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        actor=officers[0],
    )
    with at_closing(proposal.closes_at, tick=True):
        services.close_voting(actor=None, proposal=proposal)
    counter = _counter(home, "teller-d")
    numbers = {"tegen": 0, "onthouding": 0, "blank": 0, "invalid": 0}
    shift = CheckIn.objects.get().shift
    count = officing.enter_paper_count(
        proposal=proposal, location=home, shift=shift, envelopes=1, voor=2, actor=counter,
        explanation="Twee biljetten in een envelop.", **numbers,
    )  # fmt: skip
    seal = (
        "INSERT INTO governance_papercountseal (count_id, confirmed_by_id, confirmed_at, "
        "check_ins) VALUES (%s, %s, now(), %s)"
    )
    for check_ins in (1, 2):  # two ballots, one check-in: whatever number it states
        with (
            pytest.raises(DatabaseError, match="more envelopes or ballots"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(seal, [count.pk, officers[1].pk, check_ins])
    right = officing.enter_paper_count(
        proposal=proposal, location=home, shift=shift, envelopes=1, voor=1, actor=counter,
        replaces=count, reason="Opnieuw geteld", **numbers,
    )  # fmt: skip
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(seal, [right.pk, officers[1].pk, 0])  # the wrong number of check-ins
    officing.confirm_paper_count(count=right, actor=_counter(home, "teller-e"))


def test_the_worker_makes_the_poll_cards_and_the_civil_servant_downloads_them(station, client):
    import io
    import zipfile

    from governance.models.officing import PollCardRun

    from .conftest import wait_until

    proposal, _home, _officers, _people = station
    client.force_login(UserFactory(username="ambtenaar-kaarten", roles=[Role.CIVIL_SERVANT]))
    assert client.post(f"/voorstellen/{proposal.pk}/stemkaarten/").status_code == 302
    run = PollCardRun.objects.get(proposal=proposal)

    def finished():
        row = PollCardRun.objects.get(pk=run.pk)
        return row if not row.is_busy else None

    run = wait_until(finished, 90, "the worker to make the poll cards")
    assert run.status == PollCardRun.Status.DONE, run.error
    assert run.done == run.total == 4
    download = client.get(f"/voorstellen/{proposal.pk}/stemkaarten/{run.pk}/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == [f"stemkaarten-{proposal.pk}-deel-001.pdf"]


@pytest.mark.parametrize("attempt", range(4))
def test_closing_a_home_racing_an_offer_leaves_no_running_poll_at_a_closed_home(attempt):
    """A civil servant closes a Home while another offers a poll there. Both services lock the
    Home's row: either the offer lands first and the closing is refused (the poll runs there),
    or the closing lands first and the offer is refused (the Home is closed); never both."""
    actor = UserFactory(username=f"ambtenaar-sluiten{attempt}", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name=f"Sluiten {attempt}", slug=f"sluiten-{attempt}")
    resident = UserFactory(username=f"bewoner-sluiten{attempt}")
    account_services.verify_member(user=resident, area=area, actor=actor)
    proposal = poll(areas=[area])
    home = officing.create_location(name=f"Buurthuis {attempt}", address="Plein 1", actor=actor)

    def work(i: int):
        if i == 0:
            return officing.close_location(location=home, reason="Verbouwing", actor=actor)
        return officing.offer_poll_at(proposal=proposal, location=home, actor=actor)

    results = run_together(2, work)
    codes = sorted(r.code for r in results if isinstance(r, ValidationError))
    assert not any(isinstance(r, Exception) and not isinstance(r, ValidationError) for r in results)
    home.refresh_from_db()
    offered = home.offerings.filter(proposal=proposal).exists()
    assert codes in (["running"], ["closed"])
    assert offered != home.is_closed


def _coming_shift(home, username: str) -> OfficerShift:
    starts = timezone.now() + timedelta(days=1)
    return officing.add_shift(
        officer=verified_in_person(UserFactory(username=username)), location=home,
        task=OfficerShift.Task.CHECK_IN, starts_at=starts, ends_at=starts + timedelta(hours=3),
        appointed_by="Besluit 9", actor=None,
    )  # fmt: skip


@pytest.mark.parametrize("attempt", range(4))
def test_two_civil_servants_making_the_same_change_of_a_shift_write_it_once(attempt):
    """Two tabs save the same change of one shift at the same moment. The shift's row is locked:
    the second reads the first's change and hears that nothing changed; the officer gets one
    notice and the history one change."""
    from notifications.models import Event, Kind

    actor = UserFactory(username=f"ambtenaar-wijzig{attempt}", roles=[Role.CIVIL_SERVANT])
    home = officing.create_location(name=f"Buurthuis W{attempt}", address="Plein 1", actor=actor)
    shift = _coming_shift(home, f"later{attempt}")
    later = {
        "starts_at": shift.starts_at + timedelta(hours=1),
        "ends_at": shift.ends_at + timedelta(hours=1),
        "task": OfficerShift.Task.COUNTING,
    }

    def work(_i: int):
        return officing.change_shift(shift=shift, reason="Later open", actor=actor, **later)

    results = run_together(2, work)
    refused = [r for r in results if isinstance(r, Exception)]
    assert [getattr(r, "code", r) for r in refused] == ["unchanged"]
    stored = OfficerShift.objects.get(pk=shift.pk)
    assert (stored.starts_at, stored.ends_at, stored.task) == tuple(later.values())
    assert OfficerShift.history.filter(id=shift.pk, history_type="~").count() == 1
    assert (
        Event.objects.filter(kind=Kind.SHIFT_CHANGED, subject__endswith=f":{shift.pk}").count() == 1
    )


@pytest.mark.parametrize("attempt", range(4))
def test_a_shift_is_never_changed_after_its_home_closed(attempt):
    """A civil servant closes a Home while another changes a shift there. Both lock the Home's
    row: either the change lands first (then the Home closes, the change before it), or the
    closing does and the change is refused; never a change after the closing."""
    actor = UserFactory(username=f"ambtenaar-dicht{attempt}", roles=[Role.CIVIL_SERVANT])
    home = officing.create_location(name=f"Buurthuis D{attempt}", address="Plein 1", actor=actor)
    shift = _coming_shift(home, f"dicht{attempt}")

    def work(i: int):
        if i == 0:
            return officing.close_location(location=home, reason="Verbouwing", actor=actor)
        return officing.change_shift(
            shift=shift, reason="Later open", actor=actor, starts_at=shift.starts_at,
            ends_at=shift.ends_at + timedelta(hours=1), task=shift.task,
        )  # fmt: skip

    results = run_together(2, work)
    codes = [getattr(r, "code", r) for r in results if isinstance(r, Exception)]
    assert codes in ([], ["closed"])
    home.refresh_from_db()
    assert home.is_closed
    changes = OfficerShift.history.filter(id=shift.pk, history_type="~")
    assert changes.count() == (0 if codes else 1)
    assert all(change.history_date < home.closed_at for change in changes)


def test_the_database_keeps_a_started_or_used_shift_as_it_is(station):
    """A DBA at the psql prompt cannot move, hand over or remove a shift that has started, nor
    one with something recorded in it (a check-in written straight into its table); a coming
    shift with nothing in it changes and goes as the services change and withdraw it."""
    proposal, home, officers, people = station
    started = OfficerShift.objects.filter(officer=officers[0]).get()
    coming = _coming_shift(home, "dba-leeg")
    used = _coming_shift(home, "dba-gebruikt")
    CheckIn.objects.create(  # as an INSERT could, without the service's checks
        proposal=proposal, voter=people[3], location=home, shift=used,
        channel=CheckIn.Channel.PAPER, identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
    )  # fmt: skip
    for shift in (started, used):
        for sql, params in (
            (
                "UPDATE governance_officershift SET starts_at = starts_at + interval '1 day',"
                " ends_at = ends_at + interval '1 day' WHERE id = %s",
                [shift.pk],
            ),
            ("UPDATE governance_officershift SET officer_id = %s WHERE id = %s",
             [officers[5].pk, shift.pk]),
            ("UPDATE governance_officershift SET task = 'counting' WHERE id = %s", [shift.pk]),
            ("DELETE FROM governance_officershift WHERE id = %s", [shift.pk]),
        ):  # fmt: skip
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
        kept = OfficerShift.objects.get(pk=shift.pk)
        assert (kept.starts_at, kept.officer, kept.task) == (
            shift.starts_at, shift.officer, OfficerShift.Task.CHECK_IN,
        )  # fmt: skip
    with connection.cursor() as cursor:  # writing what is there already changes nothing
        cursor.execute("UPDATE governance_officershift SET task = task WHERE id = %s", [started.pk])
        cursor.execute(
            "UPDATE governance_officershift SET starts_at = starts_at + interval '1 hour',"
            " ends_at = ends_at + interval '1 hour' WHERE id = %s",
            [coming.pk],
        )
        cursor.execute("DELETE FROM governance_officershift WHERE id = %s", [coming.pk])
    assert not OfficerShift.objects.filter(pk=coming.pk).exists()


def test_the_database_refuses_anything_new_at_a_closed_home(station):
    """After a Home closed, a script or the psql prompt cannot offer a poll there, record a
    shift or a check-in there, or move a coming shift there; at an open Home the same is
    written."""
    from governance.models import PollOffering

    proposal, home, officers, people = station
    actor = UserFactory(username="ambtenaar-dicht-db", roles=[Role.CIVIL_SERVANT])
    closed = officing.create_location(name="Buurthuis Dicht", address="Plein 2", actor=actor)
    shift = _coming_shift(closed, "dicht-db")
    officing.close_location(location=closed, reason="Verbouwing", actor=actor)
    elsewhere = _coming_shift(home, "elders-db")
    starts = timezone.now() + timedelta(days=2)

    def new_shift(location):
        return OfficerShift.objects.create(
            officer=officers[5], location=location, starts_at=starts,
            ends_at=starts + timedelta(hours=2), task=OfficerShift.Task.CHECK_IN,
            appointed_by="Besluit 10",
        )  # fmt: skip

    for attempt in (
        lambda: PollOffering.objects.create(proposal=proposal, location=closed),
        lambda: new_shift(closed),
        lambda: CheckIn.objects.create(
            proposal=proposal,
            voter=people[3],
            location=closed,
            shift=shift,
            channel=CheckIn.Channel.PAPER,
            identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        ),  # fmt: skip
        lambda: OfficerShift.objects.filter(pk=elsewhere.pk).update(location=closed),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert not closed.offerings.exists() and not closed.check_ins.exists()
    assert list(closed.shifts.all()) == [shift]
    assert new_shift(home).location == home


def test_a_shift_started_by_the_database_s_clock_is_refused_with_a_message(station):
    """This web server's clock runs behind the database's (another machine): the services see a
    shift that has not started, the database's guard sees one that has. Changing or withdrawing
    it is then refused as "started", with the message, not a server error; nothing changes."""
    _proposal, _home, officers, _people = station
    started = OfficerShift.objects.filter(officer=officers[1]).get()
    actor = UserFactory(username="ambtenaar-klok", roles=[Role.CIVIL_SERVANT])
    with freeze_time(started.starts_at - timedelta(minutes=30), tick=True):
        with pytest.raises(ValidationError) as changing:
            officing.change_shift(
                shift=started, reason="Later", actor=actor, task=started.task,
                starts_at=started.starts_at + timedelta(hours=1), ends_at=started.ends_at,
            )  # fmt: skip
        with pytest.raises(ValidationError) as withdrawing:
            officing.cancel_shift(shift=started, reason="Ziek", actor=actor)
    assert [changing.value.code, withdrawing.value.code] == ["started", "started"]
    kept = OfficerShift.objects.get(pk=started.pk)
    assert (kept.starts_at, kept.ends_at) == (started.starts_at, started.ends_at)
    assert not OfficerShift.history.filter(id=started.pk).exclude(history_type="+").exists()
