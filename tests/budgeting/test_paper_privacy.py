"""Security review S3 for budget rounds: the page to enter a resident's paper (or assisted)
ballot names only a resident this officer found at this table, with the table's search, a
short while ago. Any other number in the URL is 404: no name, and no "already voted, online /
at <location>", so nobody lists who voted and how by walking the numbers."""

import datetime
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts import services as accounts
from budgeting import services
from budgeting.models import Ballot, Round
from budgeting.views.paper import FOUND_FOR
from governance import officing
from governance.models import CheckIn, OfficerShift
from tests.accounts.factories import UserFactory, verified_in_person
from tests.budgeting.factories import round_in
from tests.roles import ACCOUNT_ROLES

pytestmark = pytest.mark.django_db
ID = CheckIn.IdentityCheck.ID_DOCUMENT
BORN = date(1941, 3, 2)
# What the pages must not show to someone who did not find the resident at the table.
SECRETS = (
    "Riet",
    "Jansen",
    "Pieter",
    "Pendelaar",
    "Kees",
    "Koster",
    "al gestemd",
    "al online gestemd",
    "Buurthuis Noord",
)


def _location(name, civil_servant):
    return officing.create_location(name=name, address=f"{name} 1", actor=civil_servant)


@pytest.fixture
def home(civil_servant):
    return _location("Huis van de Wijk", civil_servant)


@pytest.fixture
def noord(civil_servant):
    return _location("Buurthuis Noord", civil_servant)


def _shift(location, *, person=None, task=OfficerShift.Task.CHECK_IN, hours=(-1, 2)):
    now = timezone.now()
    return officing.add_shift(
        officer=person or verified_in_person(), location=location, task=task,
        starts_at=now + datetime.timedelta(hours=hours[0]),
        ends_at=now + datetime.timedelta(hours=hours[1]),
        appointed_by="Besluit bestuur BK-2026-0007", actor=None,
    ).officer  # fmt: skip


@pytest.fixture
def officer(home):
    return _shift(home)


def _resident(area, civil_servant, username, first, last, born=BORN):
    person = UserFactory(username=username, first_name=first, last_name=last)
    accounts.verify_member(user=person, area=area, actor=civil_servant, date_of_birth=born)
    return person


@pytest.fixture
def people(area, civil_servant, community_member, noord):
    """Riet has not voted; Pieter voted online; Kees voted on paper at Buurthuis Noord."""
    round = round_in(Round.Status.VOTING, area=area, civil_servant=civil_servant,
                     author=community_member)  # fmt: skip
    riet = _resident(area, civil_servant, "oma-jansen", "Riet", "Jansen")
    pieter = _resident(area, civil_servant, "pendelaar", "Pieter", "Pendelaar")
    kees = _resident(area, civil_servant, "koster", "Kees", "Koster")
    plans = list(round.plans.order_by("number")[:3])
    services.cast_ballot(actor=pieter, round=round, plans=plans)
    services.enter_paper_ballot(actor=_shift(noord), round=round, location=noord, voter=kees,
                                plans=plans, channel=Ballot.Channel.PAPER, identity_check=ID)  # fmt: skip
    return round, riet, pieter, kees


def _entry(round, location, voter):
    return reverse("budgeting:paper_ballot", args=[round.pk, location.slug, voter.pk])


def _find(client, round, location, name):
    table = reverse("budgeting:paper_table", args=[round.pk, location.slug])
    return client.get(table, {"q": name, "born": BORN.isoformat()})


def _data(round):
    ids = list(round.plans.order_by("number").values_list("pk", flat=True))[:3]
    return {"channel": Ballot.Channel.PAPER, "identity_check": ID, "plans": ids}


def _tells(response) -> list[str]:
    page = response.content.decode()
    return [secret for secret in SECRETS if secret in page]


def test_an_officer_on_shift_reads_no_name_and_no_vote_by_number(client, people, home, officer):
    round, riet, pieter, kees = people
    client.force_login(officer)
    # when the officer walks the numbers without finding anyone at the table
    for voter in (riet, pieter, kees, officer, UserFactory(username="x", first_name="Kees")):
        for response in (client.get(_entry(round, home, voter)),
                         client.post(_entry(round, home, voter), _data(round))):  # fmt: skip
            # then 404 for all alike: no name, not whether or where they voted
            assert response.status_code == 404, voter
            assert _tells(response) == []
    assert Ballot.objects.count() == 2  # Pieter's and Kees's, nothing new


def test_a_resident_found_at_the_table_gets_their_ballot_entered(client, people, home, officer):
    round, riet, _pieter, _kees = people
    client.force_login(officer)
    assert _find(client, round, home, "Riet Jansen").status_code == 200
    page = client.get(_entry(round, home, riet))
    assert page.status_code == 200 and "Riet Jansen" in page.content.decode()
    assert client.post(_entry(round, home, riet), _data(round)).status_code == 302
    assert Ballot.objects.get(voter=riet).entered_by == officer


def test_whether_and_where_a_found_resident_voted_is_told_as_at_the_table(
    client, people, home, officer
):
    round, _riet, pieter, kees = people
    client.force_login(officer)
    # the table itself says who of the residents found has voted, online or where
    table = _find(client, round, home, "Pieter Pendelaar").content.decode()
    assert "Heeft al online gestemd" in table
    response = client.get(_entry(round, home, pieter))
    assert response.status_code == 409 and "al online gestemd" in response.content.decode()
    _find(client, round, home, "Kees Koster")
    response = client.post(_entry(round, home, kees), _data(round))
    assert response.status_code == 409 and "Buurthuis Noord" in response.content.decode()
    assert Ballot.objects.count() == 2


def test_found_at_one_table_opens_no_other_round_or_location_and_not_for_long(
    client, people, home, noord, officer, area, civil_servant, community_member
):
    round, riet, _pieter, _kees = people
    other_round = round_in(Round.Status.VOTING, area=area, civil_servant=civil_servant,
                           author=community_member, name="Tweede budget")  # fmt: skip
    _shift(noord, person=officer)  # the same officer is on shift at Noord too
    client.force_login(officer)
    _find(client, round, home, "Riet Jansen")
    for url in (_entry(other_round, home, riet), _entry(round, noord, riet)):
        response = client.get(url)
        assert response.status_code == 404 and _tells(response) == []
    assert client.get(_entry(round, home, riet)).status_code == 200
    now, table = timezone.now(), reverse("budgeting:paper_table", args=[round.pk, home.slug])
    for minutes in range(10, int(FOUND_FOR.total_seconds() // 60), 10):
        with freeze_time(now + datetime.timedelta(minutes=minutes)):  # at work: logged in
            assert client.get(table).status_code == 200
    with freeze_time(now + FOUND_FOR + datetime.timedelta(minutes=1)):
        response = client.get(_entry(round, home, riet))
        assert response.status_code == 404 and _tells(response) == []
        _find(client, round, home, "Riet Jansen")  # found again: the page is back
        assert client.get(_entry(round, home, riet)).status_code == 200


ROLES = [*ACCOUNT_ROLES, "officer_elsewhere", "officer_off_shift", "counting_officer"]


def _nobody_named(client, role, round, *urls):
    for url in urls:
        for response in (client.get(url), client.post(url, _data(round))):
            assert response.status_code in (302, 403, 404), (role, url, response.status_code)
            assert _tells(response) == [], (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_no_other_role_reads_a_name_or_a_vote_on_the_ballot_page(
    client, people, home, noord, user_for_role, role
):
    round, riet, pieter, kees = people
    person = {
        "officer_elsewhere": lambda: _shift(noord),
        "officer_off_shift": lambda: _shift(home, hours=(3, 5)),
        "counting_officer": lambda: _shift(home, task=OfficerShift.Task.COUNTING),
    }.get(role, lambda: user_for_role(role))()
    if person is not None:
        client.force_login(person)
    for voter in (riet, pieter, kees):
        # when they open the page by number, here and at Noord, then nobody is named
        _nobody_named(client, role, round, _entry(round, home, voter), _entry(round, noord, voter))
        # nor here after trying the table here, and finding them at their own (officer at Noord)
        _find(client, round, home, str(voter))
        _find(client, round, noord, str(voter))
        _nobody_named(client, role, round, _entry(round, home, voter))
    assert Ballot.objects.count() == 2
