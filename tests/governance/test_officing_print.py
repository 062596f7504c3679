"""Printed papers of the Community Homes (WeasyPrint): poll cards, ballot papers, results
sheets; who may print them."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time
from pypdf import PdfReader

from governance import officing
from governance.models import CheckIn, OfficerShift
from governance.officing.printing import results_sheet_pdf
from tests.accounts.factories import verified_in_person
from tests.roles import ACCOUNT_ROLES

from .factories import board, poll

pytestmark = pytest.mark.django_db

ROLES = [*ACCOUNT_ROLES, "check_in_officer", "counting_officer"]


@pytest.fixture
def sealed(area, community_member, youth_member):
    board(community=3, institution=0)
    return poll(areas=[area])


@pytest.fixture
def home(sealed, civil_servant):
    location = officing.create_location(
        name="Buurthuis Bijlmer", address="Bijlmerplein 1", actor=civil_servant
    )
    officing.offer_poll_at(proposal=sealed, location=location, actor=civil_servant)
    return location


def _officer(location, task):
    now = timezone.now()
    return officing.add_shift(
        officer=verified_in_person(),  # issue 15: an officer is verified in person
        location=location,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        task=task,
        appointed_by="Besluit 1",
        actor=None,
    ).officer


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_notice_for_the_board_says_where_until_when_and_what_to_bring(sealed, home):
    from governance.officing.printing import notice_pdf

    home.opening_hours = "Maandag 9:00-17:00"
    text = _text(notice_pdf(sealed, home))
    assert sealed.title[:20] in text and "Buurthuis Bijlmer" in text
    assert "Maandag 9:00-17:00" in text and "Bijlmerplein 1" in text


def test_a_results_sheet_of_a_count(sealed, home, youth_member):
    checker = _officer(home, OfficerShift.Task.CHECK_IN)
    counter = _officer(home, OfficerShift.Task.COUNTING)
    officing.check_in(
        proposal=sealed,
        location=home,
        voter=youth_member,
        channel=CheckIn.Channel.PAPER,
        identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        actor=checker,
    )
    with freeze_time(sealed.closes_at + timedelta(minutes=1)):
        count = officing.enter_paper_count(
            proposal=sealed,
            location=home,
            shift=OfficerShift.objects.get(officer=checker),
            envelopes=1,
            voor=1,
            tegen=0,
            onthouding=0,
            blank=0,
            invalid=0,
            actor=counter,
        )
    assert results_sheet_pdf(count).startswith(b"%PDF")


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_printed_papers(client, sealed, home, user_for_role, role):
    checker = _officer(home, OfficerShift.Task.CHECK_IN)
    counter = _officer(home, OfficerShift.Task.COUNTING)
    user = {"check_in_officer": checker, "counting_officer": counter}.get(role) or (
        user_for_role(role)
    )
    if user is not None:
        client.force_login(user)
    cards = client.get(f"/voorstellen/{sealed.pk}/stemkaarten/")
    ballots = client.get(f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/stembiljetten.pdf")
    notice = client.get(f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/bekendmaking.pdf")
    assert notice.status_code == ballots.status_code
    assert (cards.status_code == 200) == (role == "civil_servant")
    assert (ballots.status_code == 200) == (role in ("civil_servant", "check_in_officer"))
    if ballots.status_code == 200:
        assert ballots["Content-Type"] == "application/pdf"
        assert ballots["Cache-Control"] == "no-store"
