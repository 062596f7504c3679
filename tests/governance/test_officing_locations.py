"""A Community Home changes, closes and opens again: a civil servant changes its address and
opening hours, closes it with a reason (refused while a poll offered there still runs), and a
closed Home gets no new poll or shift and nobody is checked in there; its record stays."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from governance import officing, services
from governance.models import Location, OfficerShift, PollOffering, SealedBallot
from notifications import messages
from notifications.models import Channel, Event, Kind, Notification
from tests.accounts.factories import UserFactory
from tests.roles import ACCOUNT_ROLES, ROLES

from .factories import board, poll
from .shifts import person_in_role, shift_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(civil_servant):
    return officing.create_location(
        name="Buurthuis Bijlmer",
        address="Bijlmerplein 1",
        opening_hours="ma-vr 9-17",
        actor=civil_servant,
    )


@pytest.fixture
def sealed(area, community_member):
    board(community=3, institution=0)
    return poll(areas=[area])


def _state(location) -> tuple:
    location.refresh_from_db()
    return (location.address, location.opening_hours, location.closed_at, location.closed_reason)


# ---- the services ------------------------------------------------------------------------------


def test_a_closed_home_keeps_its_reason_and_who_closed_it_in_its_history(home, civil_servant):
    officing.close_location(
        location=home, reason="  Verbouwing tot 1 maart.  ", actor=civil_servant
    )
    home.refresh_from_db()
    assert home.is_closed and home.closed_reason == "Verbouwing tot 1 maart."
    last = home.history.first()
    assert (last.history_user, last.closed_reason) == (civil_servant, "Verbouwing tot 1 maart.")

    officing.reopen_location(location=home, actor=civil_servant)
    home.refresh_from_db()
    assert not home.is_closed and home.closed_reason == ""
    assert [h.closed_reason for h in home.history.all()[:2]] == ["", "Verbouwing tot 1 maart."]


@pytest.mark.parametrize(
    ("reason", "field"), [("", "reason"), ("   ", "reason"), ("x" * 501, "reason")]
)
def test_closing_without_a_usable_reason_is_refused_and_writes_nothing(
    home, civil_servant, reason, field
):
    before = _state(home)
    with pytest.raises(ValidationError) as refused:
        officing.close_location(location=home, reason=reason, actor=civil_servant)
    assert field in refused.value.message_dict
    assert _state(home) == before and home.history.count() == 1


def test_a_home_closes_once_and_opens_once(home, civil_servant):
    with pytest.raises(ValidationError) as refused:
        officing.reopen_location(location=home, actor=civil_servant)
    assert refused.value.code == "open"
    officing.close_location(location=home, reason="Brand", actor=civil_servant)
    with pytest.raises(ValidationError) as refused:
        officing.close_location(location=home, reason="Nog eens", actor=civil_servant)
    assert refused.value.code == "closed"
    assert _state(home)[3] == "Brand"


def test_a_home_does_not_close_while_a_poll_offered_there_runs(home, sealed, civil_servant):
    officing.offer_poll_at(proposal=sealed, location=home, actor=civil_servant)
    with pytest.raises(ValidationError) as refused:
        officing.close_location(location=home, reason="Verbouwing", actor=civil_servant)
    assert refused.value.code == "running"
    assert sealed.title in refused.value.messages[0]
    assert not Location.objects.get(pk=home.pk).is_closed

    services.withdraw_proposal(proposal=sealed, reason="Ingetrokken", actor=civil_servant)
    officing.close_location(location=home, reason="Verbouwing", actor=civil_servant)
    assert Location.objects.get(pk=home.pk).is_closed
    # Its record stays: the poll is still listed as offered there.
    assert PollOffering.objects.filter(location=home, proposal=sealed).exists()


def test_a_closed_home_gets_no_new_poll_and_no_new_shift(home, sealed, civil_servant):
    shift_at(home, hours=(-1, 2), actor=civil_servant)  # planned before it closed: kept
    officing.close_location(location=home, reason="Verbouwing", actor=civil_servant)
    shifts = OfficerShift.objects.count()
    with pytest.raises(ValidationError) as refused:
        officing.offer_poll_at(proposal=sealed, location=home, actor=civil_servant)
    assert refused.value.code == "closed"
    assert "Verbouwing" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        shift_at(home, hours=(24, 26), actor=civil_servant)
    assert refused.value.code == "closed"
    assert (PollOffering.objects.count(), OfficerShift.objects.count()) == (0, shifts)
    assert officing.locations_to_offer(sealed, limit=10) == []

    officing.reopen_location(location=home, actor=civil_servant)
    officing.offer_poll_at(proposal=sealed, location=home, actor=civil_servant)
    assert officing.locations_to_offer(sealed, limit=10) == []  # offered now
    assert PollOffering.objects.filter(location=home).count() == 1


def test_the_service_reads_the_home_afresh_not_the_callers_copy(home, sealed, civil_servant):
    stale = Location.objects.get(pk=home.pk)  # read before it closed, e.g. by a page
    officing.close_location(location=home, reason="Verbouwing", actor=civil_servant)
    with pytest.raises(ValidationError) as refused:
        officing.offer_poll_at(proposal=sealed, location=stale, actor=civil_servant)
    assert refused.value.code == "closed"
    assert not PollOffering.objects.exists()


def test_nobody_is_checked_in_at_a_home_closed_behind_the_services_back(
    home, sealed, civil_servant, community_member
):
    """A DBA closes the Home with SQL while a poll offered there runs (the service refuses
    that): the check-in is refused with the Home's reason, and nothing is written."""
    officing.offer_poll_at(proposal=sealed, location=home, actor=civil_servant)
    officer = shift_at(home, hours=(-1, 2), actor=civil_servant).officer
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_location SET closed_at = %s, closed_reason = %s WHERE id = %s",
            [timezone.now(), "Brand", home.pk],
        )
    home.refresh_from_db()
    assert not officer.has_perm("governance.check_in", officing.Station(sealed, home))
    with pytest.raises(ValidationError) as refused:
        officing.check_in(
            proposal=sealed,
            location=home,
            voter=community_member,
            channel="paper",
            identity_check="passport",
            actor=officer,
        )
    assert refused.value.code == "closed" and "Brand" in refused.value.messages[0]
    assert not sealed.check_ins.exists()


def test_no_assisted_vote_is_cast_at_a_home_closed_behind_the_services_back(
    home, sealed, civil_servant, community_member
):
    """Checked in for assisted voting, then the Home is closed with SQL: the officer's screen
    casts no ballot there (the assisted ballot is no `@service`; it asks this itself)."""
    officing.offer_poll_at(proposal=sealed, location=home, actor=civil_servant)
    officer = shift_at(home, hours=(-1, 2), actor=civil_servant).officer
    officing.check_in(
        proposal=sealed,
        location=home,
        voter=community_member,
        channel="assisted",
        identity_check="id_document",
        actor=officer,
    )
    ballots = SealedBallot.objects.filter(proposal=sealed).count()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_location SET closed_at = %s, closed_reason = %s WHERE id = %s",
            [timezone.now(), "Brand", home.pk],
        )
    home.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        officing.cast_assisted_ballot(
            proposal=sealed, location=home, voter=community_member, choice="for", actor=officer
        )
    assert refused.value.code == "closed"
    assert SealedBallot.objects.filter(proposal=sealed).count() == ballots


def test_the_database_keeps_closed_and_its_reason_together(home):
    for closed_at, reason in ((timezone.now(), ""), (None, "Verbouwing")):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE governance_location SET closed_at = %s, closed_reason = %s WHERE id = %s",
                [closed_at, reason, home.pk],
            )
    assert _state(home)[2:] == (None, "")


def test_a_changed_address_and_opening_hours_keep_the_name_and_web_address(home, civil_servant):
    officing.update_location(
        location=home, address=" Bijlmerdreef 2 ", opening_hours="di 10-12", actor=civil_servant
    )
    home.refresh_from_db()
    assert (home.name, home.slug, home.address, home.opening_hours) == (
        "Buurthuis Bijlmer",
        "buurthuis-bijlmer",
        "Bijlmerdreef 2",
        "di 10-12",
    )
    before = _state(home)
    with pytest.raises(ValidationError) as refused:
        officing.update_location(location=home, address="  ", actor=civil_servant)
    assert "address" in refused.value.message_dict
    assert _state(home) == before


def test_only_a_civil_servant_changes_closes_or_opens_a_home(home, user_for_role):
    others = [role for role in ACCOUNT_ROLES if role not in ("civil_servant", "anonymous")]
    for role in others:
        actor = user_for_role(role)
        for service, kwargs in (
            (officing.update_location, {"address": "Elders 1"}),
            (officing.close_location, {"reason": "Weg"}),
        ):
            with pytest.raises(ValidationError) as refused:
                service(location=home, actor=actor, **kwargs)
            assert refused.value.code == "forbidden", role
    Location.objects.filter(pk=home.pk).update(closed_at=timezone.now(), closed_reason="Brand")
    for role in others:
        with pytest.raises(ValidationError):
            officing.reopen_location(location=home, actor=user_for_role(role))
    assert _state(home)[0] == "Bijlmerplein 1" and _state(home)[3] == "Brand"


# ---- the pages ---------------------------------------------------------------------------------


def test_a_civil_servant_changes_closes_and_opens_a_home_through_its_pages(
    client, home, civil_servant
):
    client.force_login(civil_servant)
    page = f"/voorstellen/locaties/{home.slug}/"
    edit = client.get(page + "bewerken/")
    assert edit.status_code == 200 and "Bijlmerplein 1" in edit.content.decode()
    response = client.post(page + "bewerken/", {"address": "Bijlmerdreef 2", "opening_hours": ""})
    assert response.status_code == 302 and response["Location"] == page
    assert _state(home)[:2] == ("Bijlmerdreef 2", "")

    assert client.get(page + "sluiten/").status_code == 200
    refused = client.post(page + "sluiten/", {"reason": ""})
    assert refused.status_code == 400 and 'data-testid="form-errors"' in refused.content.decode()
    assert not _state(home)[2]
    response = client.post(page + "sluiten/", {"reason": "Verbouwing tot 1 maart."})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert 'data-testid="closed"' in html and "Verbouwing tot 1 maart." in html
    assert 'name="appointed_by"' not in html  # no shift form on a closed Home
    listing = client.get("/voorstellen/locaties/").content.decode()
    assert "Gesloten sinds" in listing

    response = client.post(page + "heropenen/")
    assert response.status_code == 302 and not _state(home)[2]
    html = client.get(page).content.decode()
    assert 'data-testid="closed"' not in html and 'name="appointed_by"' in html


def test_the_closing_page_says_which_poll_still_runs_there(client, home, sealed, civil_servant):
    officing.offer_poll_at(proposal=sealed, location=home, actor=civil_servant)
    client.force_login(civil_servant)
    response = client.post(f"/voorstellen/locaties/{home.slug}/sluiten/", {"reason": "Weg"})
    assert response.status_code == 400
    assert sealed.title in response.content.decode()
    assert not _state(home)[2]


def test_the_offer_page_refuses_a_closed_home_typed_by_name(client, home, sealed, civil_servant):
    officing.close_location(location=home, reason="Verbouwing", actor=civil_servant)
    client.force_login(civil_servant)
    url = f"/voorstellen/{sealed.pk}/locaties/"
    assert home.name not in client.get(url).content.decode()  # not suggested
    response = client.post(url, {"location": home.name})
    assert response.status_code == 400
    assert "is gesloten: Verbouwing" in response.content.decode()
    assert not PollOffering.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_changing_closing_and_opening(
    client, home, user_for_role, area, civil_servant, community_member, role
):
    user = person_in_role(role, home, user_for_role, area)
    if user is not None:
        client.force_login(user)
    allowed = role == "civil_servant"
    page = f"/voorstellen/locaties/{home.slug}/"
    for url in (page + "bewerken/", page + "sluiten/"):
        response = client.get(url)
        assert response.status_code == (200 if allowed else 403 if user else 302), url
    assert client.get(page + "heropenen/").status_code in ((405,) if allowed else (302, 403))
    before = _state(home)
    client.post(page + "bewerken/", {"address": "Elders 1", "opening_hours": ""})
    client.post(page + "sluiten/", {"reason": "Weg"})
    if allowed:
        assert _state(home)[0] == "Elders 1" and _state(home)[3] == "Weg"
        client.post(page + "heropenen/")
        assert not _state(home)[2]
    else:
        assert _state(home) == before
        Location.objects.filter(pk=home.pk).update(closed_at=timezone.now(), closed_reason="Brand")
        client.post(page + "heropenen/")
        assert _state(home)[3] == "Brand"


HOSTILE = st.one_of(
    st.text(max_size=600),
    st.sampled_from(["", " ", "\x00", "x" * 501, "<script>", "' OR 1=1", "\u202e", "%s"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(address=HOSTILE, hours=HOSTILE, reason=HOSTILE)
def test_no_value_gives_a_server_error_or_half_a_change(
    client, home, civil_servant, address, hours, reason
):
    client.force_login(civil_servant)
    page = f"/voorstellen/locaties/{home.slug}/"
    before = _state(home)
    edited = client.post(page + "bewerken/", {"address": address, "opening_hours": hours})
    assert edited.status_code in (302, 400)
    if edited.status_code == 400:
        assert _state(home) == before  # nothing written, not the address alone
    before = _state(home)
    closed = client.post(page + "sluiten/", {"reason": reason})
    assert closed.status_code in (302, 400)
    if closed.status_code == 400:
        assert _state(home) == before
    else:
        assert _state(home)[3] == reason.strip()
        client.post(page + "heropenen/")


# ---- who hears of it ---------------------------------------------------------------------------


def test_the_officers_with_a_shift_still_to_come_hear_that_the_home_closed(home, civil_servant):
    running = shift_at(home, hours=(-1, 2), actor=civil_servant).officer
    coming = shift_at(home, hours=(20, 24), actor=civil_servant).officer
    shift_at(home, hours=(-5, -1), actor=civil_servant)  # ended: not told
    officing.close_location(location=home, reason="Brand in de keuken.", actor=civil_servant)
    event = Event.objects.get(kind=Kind.LOCATION_CLOSED)
    told = {n.user for n in Notification.objects.filter(event=event, channel=Channel.SITE)}
    assert told == {running, coming}
    with translation.override("nl"):
        subject, text = messages.render(event.kind, event.data)
    assert subject == "Gesloten: Buurthuis Bijlmer"
    assert "gaan daarom niet door" in text and text.endswith("Brand in de keuken.")


def test_a_home_closed_without_shifts_to_come_tells_nobody(home, civil_servant):
    shift_at(home, hours=(-5, -1), actor=civil_servant)
    officing.close_location(location=home, reason="Verbouwing", actor=civil_servant)
    assert not Event.objects.filter(kind=Kind.LOCATION_CLOSED).exists()


def test_an_officer_hears_of_a_new_shift_in_their_language_with_where_and_when(home, civil_servant):
    shift = shift_at(home, hours=(26, 29), actor=civil_servant)
    event = Event.objects.get(kind=Kind.SHIFT_ADDED)
    told = {n.user for n in Notification.objects.filter(event=event, channel=Channel.SITE)}
    assert told == {shift.officer} and event.url == "/diensten/"
    local = timezone.localtime(shift.starts_at)
    with translation.override("nl"):
        subject, text = messages.render(event.kind, event.data)
        starts = formats.date_format(local, "DATETIME_FORMAT")
    assert subject == f"Uw dienst: Buurthuis Bijlmer, {starts}"
    assert text.startswith(f"U hebt een dienst in Buurthuis Bijlmer (Bijlmerplein 1), van {starts}")
    assert "Uw taak: Inchecken aan de tafel. Besluit: Besluit 1." in text
    with translation.override("en"):
        subject, text = messages.render(event.kind, event.data)
    assert "Your task: Check-in at the table." in text


def test_a_shift_recorded_after_it_ended_tells_nobody(home, civil_servant):
    shift_at(home, hours=(-5, -1), actor=civil_servant)
    assert not Event.objects.filter(kind=Kind.SHIFT_ADDED).exists()


def test_the_page_of_a_closed_home_says_who_closed_it(client, home, civil_servant):
    colleague = UserFactory(
        username="collega", first_name="Mila", last_name="Kok", roles=[Role.CIVIL_SERVANT]
    )
    officing.close_location(location=home, reason="Verbouwing", actor=colleague)
    # A later change of the address does not make the civil servant who changed it the closer.
    officing.update_location(
        location=Location.objects.get(pk=home.pk), address="Bijlmerdreef 2", opening_hours="",
        actor=civil_servant,
    )  # fmt: skip
    client.force_login(civil_servant)
    with translation.override("nl"):
        html = client.get(f"/voorstellen/locaties/{home.slug}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "door Mila Kok." in html.content.decode()


def test_a_home_closed_behind_the_services_back_names_nobody(client, home, civil_servant):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_location SET closed_at = %s, closed_reason = %s WHERE id = %s",
            [timezone.now(), "Waterschade", home.pk],
        )
    client.force_login(civil_servant)
    html = client.get(f"/voorstellen/locaties/{home.slug}/").content.decode()
    assert "Waterschade" in html and " door " not in html.split('data-testid="closed"')[1][:300]
