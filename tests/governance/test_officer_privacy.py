"""Security review S3: the assisted-vote page of a poll names only a resident this officer
checked in for assisted voting, here, in their current shift, while their vote may be entered.
Any other number in the URL is 404: no name, no hint whether the account exists or voted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from governance import officing
from governance.models import CheckIn, Choice, OfficerShift, SealedBallot
from governance.officing.checkin import ASSISTED_WINDOW
from tests.accounts.factories import UserFactory, verified_in_person
from tests.roles import ACCOUNT_ROLES

from .factories import board, poll

pytestmark = pytest.mark.django_db

NAME = "Wilhelmina Stemhulp"
ID = CheckIn.IdentityCheck.ID_DOCUMENT


@pytest.fixture
def sealed(area, community_member, youth_member):
    youth_member.first_name, youth_member.last_name = NAME.split()
    youth_member.save()
    board(community=3, institution=0)
    return poll(areas=[area])


def _location(name, sealed, civil_servant):
    location = officing.create_location(name=name, address=f"{name} 1", actor=civil_servant)
    officing.offer_poll_at(proposal=sealed, location=location, actor=civil_servant)
    return location


@pytest.fixture
def home(sealed, civil_servant):
    return _location("Buurthuis Bijlmer", sealed, civil_servant)


def _officer(location, *, task=OfficerShift.Task.CHECK_IN, hours=(-1, 2), person=None):
    now = timezone.now()
    return officing.add_shift(
        officer=person or verified_in_person(), location=location, task=task,
        starts_at=now + timedelta(hours=hours[0]), ends_at=now + timedelta(hours=hours[1]),
        appointed_by="Besluit 1", actor=None,
    ).officer  # fmt: skip


@pytest.fixture
def officer(home):
    return _officer(home)


def _url(sealed, location, voter_pk):
    return reverse("governance:assisted", args=[sealed.pk, location.slug, voter_pk])


def _check_in(sealed, home, officer, voter, channel=CheckIn.Channel.ASSISTED):
    return officing.check_in(proposal=sealed, location=home, voter=voter, channel=channel,
                             identity_check=ID, actor=officer)  # fmt: skip


def _named(response, *names) -> bool:
    page = response.content.decode()
    return any(name in page for name in names)


def test_an_officer_on_shift_cannot_read_any_account_s_name_by_number(
    client, sealed, home, officer, civil_servant, community_member, youth_member
):
    # given accounts the officer did not check in for assisted voting here
    stranger = UserFactory(username="geheim", first_name="Greta", last_name="Geheimhouder")
    community_member.first_name, community_member.last_name = "Pieter", "Papier"
    community_member.save()
    _check_in(sealed, home, officer, community_member, channel=CheckIn.Channel.PAPER)
    colleague = _officer(home)
    _check_in(sealed, home, colleague, youth_member)  # assisted, by a colleague
    client.force_login(officer)
    people = [stranger, civil_servant, community_member, youth_member]
    # when the officer walks the numbers, then nobody is named: 404 as for no account at all
    for pk in [p.pk for p in people] + [999_999]:
        for response in (client.get(_url(sealed, home, pk)),
                         client.post(_url(sealed, home, pk), {"choice": Choice.FOR})):  # fmt: skip
            assert response.status_code == 404, pk
            assert not _named(response, "Greta", "Geheimhouder", NAME, "Pieter Papier")
            assert not _named(response, civil_servant.get_full_name() or "ambtenaar")
    assert not SealedBallot.objects.exists()


def test_the_officer_who_checked_the_resident_in_enters_their_vote(
    client, sealed, home, officer, youth_member
):
    client.force_login(officer)
    table = reverse("governance:station", args=[sealed.pk, home.slug])
    response = client.post(
        table, {"voter": youth_member.pk, "channel": "assisted", "identity_check": ID}
    )
    assert response.status_code == 302 and response["Location"] == _url(
        sealed, home, youth_member.pk
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and NAME in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    stored = client.post(response["Location"], {"choice": Choice.FOR})
    assert stored.status_code == 200 and stored.context["code"]
    assert SealedBallot.objects.count() == 1


def test_after_the_window_the_page_names_nobody_and_stores_nothing(
    client, sealed, home, officer, youth_member
):
    _check_in(sealed, home, officer, youth_member)
    client.force_login(officer)
    url = _url(sealed, home, youth_member.pk)
    now, table = timezone.now(), reverse("governance:station", args=[sealed.pk, home.slug])
    for minutes in (10, 20):  # the officer stays at work: their session does not time out
        with freeze_time(now + timedelta(minutes=minutes)):
            assert client.get(table).status_code == 200
    with freeze_time(now + ASSISTED_WINDOW + timedelta(minutes=1)):
        assert client.get(url).status_code == 404
        response = client.post(url, {"choice": Choice.AGAINST})
        assert response.status_code == 404 and not _named(response, NAME)
    assert not SealedBallot.objects.exists()


def test_an_assisted_check_in_of_the_officer_s_earlier_shift_opens_no_page(
    client, sealed, home, youth_member
):
    # given one officer with two shifts in a row, who checked the resident in during the first
    person, now = verified_in_person(), timezone.now()
    for starts, ends in ((now - timedelta(hours=1), now + timedelta(minutes=10)),
                         (now + timedelta(minutes=10), now + timedelta(hours=2))):  # fmt: skip
        officing.add_shift(officer=person, location=home, task=OfficerShift.Task.CHECK_IN,
                           starts_at=starts, ends_at=ends, appointed_by="Besluit 1", actor=None)  # fmt: skip
    _check_in(sealed, home, person, youth_member)
    client.force_login(person)
    assert client.get(_url(sealed, home, youth_member.pk)).status_code == 200
    # when they open the page in the second shift, still within the window
    with freeze_time(now + timedelta(minutes=15)):
        response = client.get(_url(sealed, home, youth_member.pk))
    # then the check-in belongs to the shift that ended: as the vote could not be entered
    assert response.status_code == 404 and not _named(response, NAME)


ROLES = [*ACCOUNT_ROLES, "officer_elsewhere", "officer_off_shift", "counting_officer"]


@pytest.mark.parametrize("role", ROLES)
def test_no_other_role_reads_the_name_of_a_resident_checked_in_for_help(
    client, sealed, home, officer, youth_member, user_for_role, civil_servant, role
):
    # given a resident legitimately checked in for assisted voting by the officer at home
    _check_in(sealed, home, officer, youth_member)
    elsewhere = _location("Buurthuis Noord", sealed, civil_servant)
    person = {
        "officer_elsewhere": lambda: _officer(elsewhere),
        "officer_off_shift": lambda: _officer(home, hours=(3, 5)),
        "counting_officer": lambda: _officer(home, task=OfficerShift.Task.COUNTING),
    }.get(role, lambda: user_for_role(role))()
    if person is not None:
        client.force_login(person)
    # when they open the page (here, and at the other location) then nobody is named
    for location in (home, elsewhere):
        url = _url(sealed, location, youth_member.pk)
        for response in (client.get(url), client.post(url, {"choice": Choice.FOR})):
            assert response.status_code in (302, 403, 404), (role, response.status_code)
            assert not _named(response, NAME)
    assert not SealedBallot.objects.exists()
