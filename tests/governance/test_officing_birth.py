"""Finding a resident at a Community Home's table by name and date of birth (issue 12): the civil
servant who verifies the resident may record the date of birth; an officer sees it only at the
table of their own station; it is never in a list, an export, the API or the admin's lists."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services as account_services
from accounts.models import MemberVerification
from governance import officing
from governance.models import ElectorateEntry, OfficerShift
from tests.accounts.factories import UserFactory, verified_in_person

from .factories import board, poll

pytestmark = pytest.mark.django_db

BORN = date(1943, 7, 19)
BORN_TEXTS = ("1943-07-19", "19-07-1943", "19 juli 1943", "19 July 1943", "1943")


@pytest.fixture
def residents(area, civil_servant):
    """Three residents named Jansen: born 1943, born 1961, and one without a date on record."""
    people = {}
    for key, first, born in (("gerrit", "Gerrit", BORN), ("gina", "Gina", date(1961, 2, 3))):
        people[key] = UserFactory(first_name=first, last_name="Jansen")
        account_services.verify_member(
            user=people[key], area=area, actor=civil_servant, date_of_birth=born
        )
    people["guus"] = UserFactory(first_name="Guus", last_name="Jansen")
    account_services.verify_member(user=people["guus"], area=area, actor=civil_servant)
    return people


@pytest.fixture
def sealed(area, residents):
    board(community=3, institution=0)
    return poll(areas=[area])


@pytest.fixture
def station(sealed, civil_servant):
    home = officing.create_location(name="Huis Oost", address="Oostplein 2", actor=civil_servant)
    officing.offer_poll_at(proposal=sealed, location=home, actor=civil_servant)
    officer = UserFactory(username="tafel-oost")
    now = timezone.now()
    officing.add_shift(
        officer=verified_in_person(officer),
        location=home,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        task=OfficerShift.Task.CHECK_IN,
        appointed_by="Besluit 7",
        actor=civil_servant,
    )
    return home, officer


def _found(sealed, query, born=None):
    return [
        m.user.first_name
        for m in officing.find_on_roll(proposal=sealed, query=query, date_of_birth=born)
    ]


def test_a_name_finds_nobody_without_a_date_of_birth(sealed, residents):
    assert _found(sealed, "Jansen") == []
    assert _found(sealed, "Gerrit Jansen") == []


def test_name_and_date_of_birth_find_the_resident_and_those_without_a_date_on_record(
    sealed, residents
):
    # given three Jansens, one born on BORN, one on another day, one without a date on record
    # when the officer searches the name with the date from the identity document
    found = officing.find_on_roll(proposal=sealed, query="jansen", date_of_birth=BORN)
    # then the one born that day, and the one whose date the officer must check on the document
    assert sorted(m.user.first_name for m in found) == ["Gerrit", "Guus"]
    births = {m.user.first_name: m.date_of_birth for m in found}
    assert births == {"Gerrit": BORN, "Guus": None}
    assert _found(sealed, "Gina Jansen", BORN) == []
    assert _found(sealed, "Gina", date(1961, 2, 3)) == ["Gina"]


def test_a_poll_card_number_needs_no_date_of_birth(sealed, residents):
    entry = ElectorateEntry.objects.get(proposal=sealed, user=residents["gina"])
    assert _found(sealed, officing.poll_card_number(entry)) == ["Gina"]


def test_a_revoked_verification_takes_its_date_of_birth_with_it(
    sealed, residents, civil_servant, area
):
    verification = residents["gerrit"].verifications.get()
    account_services.revoke_verification(
        verification=verification, reason="Verhuisd", actor=civil_servant
    )
    # no date in force any more: found as "not on record", to be checked on the document
    (match,) = officing.find_on_roll(
        proposal=sealed, query="Gerrit", date_of_birth=date(1999, 1, 1)
    )
    assert match.date_of_birth is None


@pytest.mark.parametrize("born", [date(1899, 12, 31), "tomorrow"])
def test_a_date_of_birth_outside_a_life_is_refused_and_nothing_written(area, civil_servant, born):
    person = UserFactory()
    if born == "tomorrow":
        born = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        account_services.verify_member(
            user=person, area=area, actor=civil_servant, date_of_birth=born
        )
    assert "date_of_birth" in error.value.message_dict
    assert not MemberVerification.objects.filter(user=person).exists()


def test_the_civil_servant_records_the_date_of_birth_when_verifying(client, area, civil_servant):
    person = UserFactory()
    client.force_login(civil_servant)
    url = f"/accounts/leden/{person.pk}/verifieren/"
    bad = client.post(url, {"area": area.pk, "date_of_birth": "2999-01-01"})
    assert bad.status_code == 200 and not MemberVerification.objects.filter(user=person).exists()
    garbage = client.post(url, {"area": area.pk, "date_of_birth": "gisteren"})
    assert not MemberVerification.objects.filter(user=person).exists() and garbage.status_code in (
        200,
        400,
    )
    assert client.post(url, {"area": area.pk, "date_of_birth": "1943-07-19"}).status_code == 302
    assert person.verifications.get().date_of_birth == BORN


def test_the_officer_sees_the_date_of_birth_only_at_their_own_table(
    client, sealed, station, residents, civil_servant
):
    home, officer = station
    elsewhere = officing.create_location(name="Huis West", address="West 1", actor=civil_servant)
    officing.offer_poll_at(proposal=sealed, location=elsewhere, actor=civil_servant)
    client.force_login(officer)
    url = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/"
    by_name = client.get(url, {"q": "Jansen"}).content.decode()
    assert 'data-testid="needs-birth"' in by_name and "Gerrit" not in by_name
    page = client.get(url, {"q": "Jansen", "born": "1943-07-19"})
    html = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert html.count('data-testid="match"') == 2 and "Gina" not in html
    assert "19 juli 1943" in html or "19 July 1943" in html
    bad = client.get(url, {"q": "Jansen", "born": "negentien"})
    assert bad.status_code == 200 and 'data-testid="match"' not in bad.content.decode()
    # the same officer at a location where they have no shift: refused, nothing shown
    other = client.get(
        f"/voorstellen/{sealed.pk}/stembureau/{elsewhere.slug}/",
        {"q": "Jansen", "born": "1943-07-19"},
    )
    assert other.status_code == 403
    assert b"Gerrit" not in other.content and b'data-testid="born"' not in other.content


def _no_birth_date(text: str) -> bool:
    return not any(born in text for born in BORN_TEXTS[:4])


def test_the_date_of_birth_is_in_no_list_export_or_api(
    client, sealed, residents, civil_servant, administrator
):
    # the open data downloads, every one
    index = client.get("/open-data/").content.decode()
    downloads = sorted(set(re.findall(r'href="(/open-data/[^"]+\.(?:csv|json))"', index)))
    assert downloads
    for url in downloads:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert _no_birth_date(body.decode()), url
    # the API, every list
    from api.urls import router

    for prefix, _viewset, _basename in router.registry:
        response = client.get(f"/api/v1/{prefix}", HTTP_ACCEPT="application/json")
        assert response.status_code == 200, prefix
        assert _no_birth_date(response.content.decode()), prefix
    # the civil servant's list of members
    client.force_login(civil_servant)
    assert _no_birth_date(client.get("/accounts/leden/").content.decode())
    # the admin's list of verifications
    client.force_login(administrator)
    listing = client.get("/beheer/accounts/memberverification/")
    assert listing.status_code == 200 and _no_birth_date(listing.content.decode())
