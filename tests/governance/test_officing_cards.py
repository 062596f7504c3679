"""Poll cards for a poll's whole roll, made by the worker in parts (issue 12): progress on the
page, a download when done, memory bounded by the part size; who may ask for them."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from governance import officing
from governance.models import ElectorateEntry, OfficerShift
from governance.models.officing import PollCardRun
from governance.officing import cards as officing_cards
from tests.accounts.factories import UserFactory, verified_in_person
from tests.qr import read_qr

from .factories import board, poll

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "community_member",
    "youth_council",
    "advisory_member",
    "check_in_officer",
    "trustee",
    "civil_servant",
    "administrator",
]


@pytest.fixture
def roll(area, civil_servant):
    from accounts import services as account_services

    people = [UserFactory(first_name=f"Bewoner{i}", last_name=f"Achter{i}") for i in range(5)]
    for person in people:
        account_services.verify_member(user=person, area=area, actor=civil_servant)
    return people


@pytest.fixture
def sealed(area, roll, civil_servant):
    board(community=3, institution=0)
    proposal = poll(areas=[area])
    home = officing.create_location(name="Huis Zuid", address="Zuid 3", actor=civil_servant)
    officing.offer_poll_at(proposal=proposal, location=home, actor=civil_servant)
    return proposal


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(officing_cards, "PART_SIZE", 2)


def _pdfs(run) -> dict[str, str]:
    with run.file.open("rb") as f, zipfile.ZipFile(io.BytesIO(f.read())) as archive:
        return {
            name: "".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(name))).pages)
            for name in archive.namelist()
        }


def test_the_worker_makes_a_card_for_everyone_on_the_roll_in_parts(
    sealed, civil_servant, small_parts, django_capture_on_commit_callbacks
):
    # given a roll of 5 (and more residents than that in the database: the roll decides)
    UserFactory(first_name="Nietop", last_name="Derol")
    # when a civil servant asks for the poll cards (the task runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        run = officing_cards.request_poll_cards(proposal=sealed, actor=civil_servant)
    run.refresh_from_db()
    # then three PDFs of at most two cards, together one card per resident on the roll
    assert (run.status, run.total, run.done, run.percent) == (PollCardRun.Status.DONE, 5, 5, 100)
    pdfs = _pdfs(run)
    assert sorted(pdfs) == [f"stemkaarten-{sealed.pk}-deel-00{i}.pdf" for i in (1, 2, 3)]
    text = "".join(pdfs.values())
    for entry in ElectorateEntry.objects.filter(proposal=sealed):
        assert officing.poll_card_number(entry) in text
    assert "Nietop" not in text and "Huis Zuid" in text


@override_settings(SITE_URL="https://burgerkracht.example.nl")
def test_a_card_says_where_to_vote_online_with_a_qr_code_to_it(
    sealed, civil_servant, django_capture_on_commit_callbacks
):
    # The address of this poll's ballot on the public site, as people type it from paper (it
    # asks them to log in first), and a QR code a phone's camera reads as that address.
    context = officing_cards.card_context(sealed, [], [])
    assert context["vote_address"] == f"burgerkracht.example.nl/voorstellen/{sealed.pk}/stemmen"
    assert read_qr(context["vote_qr"]) == [
        f"https://burgerkracht.example.nl/voorstellen/{sealed.pk}/stemmen/"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        run = officing_cards.request_poll_cards(proposal=sealed, actor=civil_servant)
    run.refresh_from_db()
    text = "".join(_pdfs(run).values())
    assert text.count("Online: ga naar dit adres, log in en stem:") == 5
    assert text.count("Of scan deze code met de camera van uw telefoon.") == 5
    assert text.count(f"burgerkracht.example.nl/voorstellen/{sealed.pk}/stemmen") == 5


def test_memory_is_bounded_by_the_part_size_and_progress_is_saved_per_part(
    sealed, civil_servant, small_parts, monkeypatch
):
    seen = []

    def render(proposal, cards, locations):
        # the progress of the parts before this one is already saved for the page
        seen.append((len(cards), PollCardRun.objects.get().done))
        return b"%PDF-1.4 stub"

    monkeypatch.setattr(officing_cards, "_render_part", render)
    run = PollCardRun.objects.create(proposal=sealed, requested_by=civil_servant, total=5)
    officing_cards.make_poll_cards(run_id=run.pk)
    assert seen == [(2, 0), (2, 2), (1, 4)]
    # a finished run is left alone when the task runs twice
    officing_cards.make_poll_cards(run_id=run.pk)
    assert len(seen) == 3


def test_a_failure_is_recorded_on_the_run(sealed, civil_servant, monkeypatch):
    def broken(proposal, cards, locations):
        raise OSError("schijf vol")

    monkeypatch.setattr(officing_cards, "_render_part", broken)
    run = PollCardRun.objects.create(proposal=sealed, requested_by=civil_servant, total=5)
    run = officing_cards.make_poll_cards(run_id=run.pk)
    assert run.status == PollCardRun.Status.FAILED and "schijf vol" in run.error
    assert not run.file


# Counts on the first run still waiting: committed, the eager task has made its cards
# (tests/at_commit.py).
@pytest.mark.rolled_back_only
def test_no_cards_before_the_roll_is_frozen_and_one_run_at_a_time(area, roll, civil_servant):
    from django.core.exceptions import ValidationError

    from governance import services

    board(community=3, institution=0)
    draft = services.create_proposal(
        title="Peiling in concept",
        text="Nog niet open.",
        method="poll",
        areas=[area],
        actor=civil_servant,
    )
    with pytest.raises(ValidationError) as error:
        officing_cards.request_poll_cards(proposal=draft, actor=civil_servant)
    assert error.value.code == "status" and not PollCardRun.objects.exists()
    proposal = poll(areas=[area])
    first = officing_cards.request_poll_cards(proposal=proposal, actor=civil_servant)
    again = officing_cards.request_poll_cards(proposal=proposal, actor=civil_servant)
    assert first == again and PollCardRun.objects.count() == 1


def test_the_page_shows_progress_and_the_download(
    client, sealed, civil_servant, small_parts, django_capture_on_commit_callbacks
):
    client.force_login(civil_servant)
    url = f"/voorstellen/{sealed.pk}/stemkaarten/"
    assert "poll-cards-download" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    run = PollCardRun.objects.get()
    partial = client.get(url, {"deel": "voortgang"}).content.decode()
    assert "5" in partial and "poll-cards-download" in partial and "hx-trigger" not in partial
    download = client.get(f"/voorstellen/{sealed.pk}/stemkaarten/{run.pk}/")
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    assert download["Content-Type"] == "application/zip"
    assert zipfile.is_zipfile(io.BytesIO(b"".join(download.streaming_content)))
    # while the worker is busy the progress asks again by itself
    PollCardRun.objects.filter(pk=run.pk).update(status=PollCardRun.Status.RUNNING, done=2)
    busy = client.get(url, {"deel": "voortgang"}).content.decode()
    assert 'hx-trigger="every 2s"' in busy and "poll-cards-download" not in busy
    assert "2 van de 5 stemkaarten gemaakt." in busy
    # one card: in the singular
    PollCardRun.objects.filter(pk=run.pk).update(done=1, total=1)
    one = client.get(url, {"deel": "voortgang"}).content.decode()
    assert "1 van 1 stemkaart gemaakt." in one
    # a run that is not done, or of another poll, is not downloaded
    assert client.get(f"/voorstellen/{sealed.pk}/stemkaarten/{run.pk}/").status_code == 404
    assert client.get(f"/voorstellen/{sealed.pk}/stemkaarten/999/").status_code == 404


def _user(role, sealed, user_for_role):
    if role == "check_in_officer":
        officer = UserFactory()
        location = sealed.offerings.get().location
        officing.add_shift(
            officer=verified_in_person(officer),
            location=location,
            starts_at=timezone.now() - timedelta(hours=1),
            ends_at=timezone.now() + timedelta(hours=2),
            task=OfficerShift.Task.CHECK_IN,
            appointed_by="Besluit 1",
            actor=None,
        )
        return officer
    if role == "trustee":
        return sealed.shares.select_related("trustee").first().trustee
    return user_for_role(role)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_poll_cards(
    client, sealed, civil_servant, user_for_role, role, django_capture_on_commit_callbacks
):
    done = PollCardRun.objects.create(
        proposal=sealed, requested_by=civil_servant, total=0, status=PollCardRun.Status.DONE
    )
    done.file.save("kaarten.zip", io.BytesIO(b"PK\x05\x06" + b"\0" * 18), save=True)
    user = _user(role, sealed, user_for_role)
    if user is not None:
        client.force_login(user)
    url = f"/voorstellen/{sealed.pk}/stemkaarten/"
    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
    download = client.get(f"{url}{done.pk}/")
    allowed = role == "civil_servant"
    assert (page.status_code == 200) == allowed
    assert (download.status_code == 200) == allowed
    assert PollCardRun.objects.count() == (2 if allowed else 1)
