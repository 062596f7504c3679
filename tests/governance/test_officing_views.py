"""The Community Home pages: a permission matrix with the officer role, and the check-in table."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from governance import officing
from governance.models import CheckIn, Choice, Location, OfficerShift, Participation, PollOffering
from tests.accounts.factories import verified_in_person
from tests.roles import ACCOUNT_ROLES

from .factories import board, poll

pytestmark = pytest.mark.django_db

ROLES = [*ACCOUNT_ROLES, "officer", "officer_elsewhere", "officer_off_shift", "counting_officer"]


@pytest.fixture
def sealed(area, community_member, youth_member):
    board(community=3, institution=0)
    return poll(areas=[area])


@pytest.fixture
def home(civil_servant, sealed):
    location = officing.create_location(
        name="Buurthuis Bijlmer", address="Bijlmerplein 1", actor=civil_servant
    )
    officing.offer_poll_at(proposal=sealed, location=location, actor=civil_servant)
    return location


def _shift(location, *, task=OfficerShift.Task.CHECK_IN, hours=(-1, 2)):
    now = timezone.now()
    return officing.add_shift(
        officer=verified_in_person(),  # issue 15: an officer is verified in person
        location=location,
        starts_at=now + timedelta(hours=hours[0]),
        ends_at=now + timedelta(hours=hours[1]),
        task=task,
        appointed_by="Besluit 1",
        actor=None,
    ).officer


@pytest.fixture
def person_for(user_for_role, home, civil_servant):
    def person(role):
        if role == "officer":
            return _shift(home)
        if role == "officer_elsewhere":
            other = officing.create_location(
                name="Buurthuis Noord", address="Noordplein 1", actor=civil_servant
            )
            return _shift(other)
        if role == "officer_off_shift":
            return _shift(home, hours=(3, 5))
        if role == "counting_officer":
            return _shift(home, task=OfficerShift.Task.COUNTING)
        return user_for_role(role)

    return person


def _refused(response) -> bool:
    return response.status_code in (302, 403) and (
        response.status_code == 403 or "/accounts/" in response["Location"]
    )


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_staff_pages(client, sealed, home, person_for, role):
    user = person_for(role)
    if user is not None:
        client.force_login(user)
    allowed = role == "civil_servant"
    pages = [
        "/voorstellen/locaties/",
        f"/voorstellen/locaties/{home.slug}/",
        f"/voorstellen/{sealed.pk}/locaties/",
    ]
    for url in pages:
        response = client.get(url)
        assert (response.status_code == 200) if allowed else _refused(response), url
    before = (Location.objects.count(), OfficerShift.objects.count(), PollOffering.objects.count())
    client.post("/voorstellen/locaties/", {"name": "Nieuw huis", "address": "Straat 1"})
    client.post(
        f"/voorstellen/locaties/{home.slug}/",
        {
            "officer": sealed.electorate.first().user.username,
            "task": "checkin",
            "starts_at": "2030-01-01 09:00",
            "ends_at": "2030-01-01 17:00",
            "appointed_by": "Besluit 2",
        },
    )
    after = (Location.objects.count(), OfficerShift.objects.count(), PollOffering.objects.count())
    if allowed:
        assert after == (before[0] + 1, before[1] + 1, before[2])
    else:
        assert after == before


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_check_in_table(
    client, sealed, home, person_for, youth_member, role
):
    user = person_for(role)
    if user is not None:
        client.force_login(user)
    url = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/"
    response = client.get(url, {"q": "jongere", "born": "1950-01-01"})
    post = client.post(
        url, {"voter": youth_member.pk, "channel": "paper", "identity_check": "id_document"}
    )
    if role == "officer":
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        assert post.status_code == 302
        assert CheckIn.objects.count() == 1
    else:
        assert _refused(response) and _refused(post)
        assert not CheckIn.objects.exists() and not Participation.objects.exists()


def test_the_check_in_table_finds_checks_in_and_then_shows_it(
    client, sealed, home, youth_member, community_member
):
    from governance import services

    officer = _shift(home)
    client.force_login(officer)
    services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=community_member)
    url = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/"
    page = client.get(url, {"q": "lid", "born": "1950-01-01"}).content.decode()
    assert "Heeft online gestemd" in page or "Voted online" in page
    response = client.post(
        url, {"voter": community_member.pk, "channel": "paper", "identity_check": "poll_card"}
    )
    assert response.status_code == 302
    page = client.get(url, {"q": "lid", "born": "1950-01-01"}).content.decode()
    assert "Buurthuis Bijlmer" in page
    # a second check-in of the same person: a clear message, nothing written
    again = client.post(
        url, {"voter": community_member.pk, "channel": "paper", "identity_check": "poll_card"}
    )
    assert again.status_code == 400
    assert CheckIn.objects.count() == 1
    # bad input: no identity check chosen
    bad = client.post(url, {"voter": youth_member.pk, "channel": "paper"})
    assert bad.status_code == 400 and CheckIn.objects.count() == 1


def test_the_location_in_the_url_counts_not_the_session(client, sealed, home, civil_servant):
    officer = _shift(home)
    other = officing.create_location(name="Noord", address="Noordplein 1", actor=civil_servant)
    officing.offer_poll_at(proposal=sealed, location=other, actor=civil_servant)
    client.force_login(officer)
    assert client.get(f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/").status_code == 200
    assert client.get(f"/voorstellen/{sealed.pk}/stembureau/{other.slug}/").status_code == 403


def test_assisted_voting_through_the_station_screen(client, sealed, home, youth_member):
    from governance.models import SealedBallot

    officer = _shift(home)
    client.force_login(officer)
    url = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/"
    response = client.post(
        url, {"voter": youth_member.pk, "channel": "assisted", "identity_check": "id_document"}
    )
    assisted = f"{url}met-hulp/{youth_member.pk}/"
    assert response.status_code == 302 and response["Location"] == assisted
    assert client.post(assisted, {"choice": "zingen"}).status_code == 400
    assert not SealedBallot.objects.exists()
    with override_settings(SITE_URL="https://burgerkracht.example.nl"):
        page = client.post(assisted, {"choice": Choice.FOR})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert page.context["code"] and SealedBallot.objects.count() == 1
    # a slip to print for the resident: the code, and where to look it up once counted (the
    # resident may not read it on a screen); the officer's part of the page is not printed
    slip = re.search(r'<section class="code-slip"[^>]*data-testid="tracking-slip">(.*?)</section>',
                     page.content.decode(), flags=re.S).group(1)  # fmt: skip
    assert page.context["code"] in slip and sealed.title in slip
    assert f"burgerkracht.example.nl/voorstellen/{sealed.pk}/stembiljetten" in slip
    assert "Dat kan hier:" in slip
    assert "alle codes met hun keuze" in slip  # as the bulletin of this poll will show them
    # the resident's choice is on neither the slip nor the page: only the code, as online
    assert not re.search(r"\b(Voor|Tegen|Onthouding)\b", page.content.decode())
    assert "Print dit briefje voor de bewoner" not in slip
    assert "data-print-button" in page.content.decode()
    # another officer's account elsewhere, or a resident, cannot use the screen
    client.force_login(youth_member)
    assert client.post(assisted, {"choice": Choice.AGAINST}).status_code == 403
    # a resident not checked in for assisted voting: no page (no name), nothing stored (S3)
    client.force_login(officer)
    other = sealed.electorate.exclude(user=youth_member).first().user
    refused = client.post(f"{url}met-hulp/{other.pk}/", {"choice": Choice.AGAINST})
    assert refused.status_code == 404 and SealedBallot.objects.count() == 1


def test_the_slip_of_a_sensitive_poll_does_not_promise_the_choices(
    client, sealed, home, youth_member
):
    # given a poll whose bulletin will show the codes without the choices
    sealed.__class__.objects.filter(pk=sealed.pk).update(bulletin_hides_choices=True)
    officer = _shift(home)
    client.force_login(officer)
    url = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/"
    client.post(
        url, {"voter": youth_member.pk, "channel": "assisted", "identity_check": "id_document"}
    )
    # when the officer stores the resident's vote
    page = client.post(f"{url}met-hulp/{youth_member.pk}/", {"choice": Choice.FOR})
    # then the slip says the choices will not be published
    slip = re.search(
        r'data-testid="tracking-slip">(.*?)</section>', page.content.decode(), flags=re.S
    )
    assert "De keuzes niet, omdat het onderwerp gevoelig is." in slip.group(1)
    assert "met hun keuze" not in slip.group(1)
