"""A civil servant withdraws a shift that has not started (the officer is ill, it was entered
twice): it goes, with who and why in its history, and the officer is told. A shift that has
started is the record of who was on duty and stays."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance import officing
from governance.models import OfficerShift
from notifications import messages
from notifications.models import Event, Kind
from tests.roles import ROLES

from .shifts import person_in_role, recorded_shift_moved_ahead, shift_at, told_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(civil_servant):
    return officing.create_location(
        name="Buurthuis Bijlmer", address="Bijlmerplein 1", actor=civil_servant
    )


def _page(home, shift) -> str:
    return f"/voorstellen/locaties/{home.slug}/diensten/{shift.pk}/intrekken/"


def _withdrawals() -> int:
    return Event.objects.filter(kind=Kind.SHIFT_CANCELLED).count()


# ---- the service --------------------------------------------------------------------------------


def test_a_coming_shift_is_withdrawn_with_who_and_why_in_its_history_and_the_officer_told(
    home, civil_servant
):
    shift = shift_at(home)
    officing.cancel_shift(shift=shift, reason="  Ziek gemeld.  ", actor=civil_servant)
    assert not OfficerShift.objects.filter(pk=shift.pk).exists()
    event = told_of(
        shift,
        kind=Kind.SHIFT_CANCELLED,
        history_type="-",
        actor=civil_servant,
        reason="Ziek gemeld.",
    )
    with translation.override("nl"):
        subject, text = messages.render(event.kind, event.data)
    assert subject.startswith("Dienst ingetrokken: Buurthuis Bijlmer, ")
    assert text.startswith("Uw dienst in Buurthuis Bijlmer op ") and text.endswith(
        "gaat niet door. De reden: Ziek gemeld."
    )


@pytest.mark.parametrize("hours", [(-1, 2), (-5, -1)], ids=["running", "ended"])
def test_a_shift_that_has_started_stays(home, civil_servant, hours):
    shift = shift_at(home, hours=hours)
    with pytest.raises(ValidationError) as refused:
        officing.cancel_shift(shift=shift, reason="Ziek", actor=civil_servant)
    assert refused.value.code == "started"
    assert OfficerShift.objects.filter(pk=shift.pk).exists() and _withdrawals() == 0


@pytest.mark.parametrize("reason", ["", "   ", "x" * 101])
def test_a_withdrawal_without_a_usable_reason_writes_nothing(home, civil_servant, reason):
    shift = shift_at(home)
    with pytest.raises(ValidationError) as refused:
        officing.cancel_shift(shift=shift, reason=reason, actor=civil_servant)
    assert "reason" in refused.value.message_dict
    assert OfficerShift.objects.filter(pk=shift.pk).exists() and _withdrawals() == 0


def test_a_shift_is_withdrawn_once(home, civil_servant):
    shift = shift_at(home)
    officing.cancel_shift(shift=shift, reason="Dubbel ingevoerd", actor=civil_servant)
    with pytest.raises(ValidationError) as refused:  # a second tab with the same shift
        officing.cancel_shift(shift=shift, reason="Nog eens", actor=civil_servant)
    assert refused.value.code == "gone" and _withdrawals() == 1


def test_a_shift_that_started_after_the_page_loaded_is_read_again(home, civil_servant):
    shift = shift_at(home)
    OfficerShift.objects.filter(pk=shift.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:  # `shift` still says it starts tomorrow
        officing.cancel_shift(shift=shift, reason="Ziek", actor=civil_servant)
    assert refused.value.code == "started"


def test_only_a_civil_servant_withdraws_a_shift(home, user_for_role):
    shift = shift_at(home)
    for role in ("community_member", "youth_council", "advisory_member", "administrator"):
        with pytest.raises(ValidationError) as refused:
            officing.cancel_shift(shift=shift, reason="Weg", actor=user_for_role(role))
        assert refused.value.code == "forbidden", role
    with pytest.raises(ValidationError):  # nor the officer themselves
        officing.cancel_shift(shift=shift, reason="Weg", actor=shift.officer)
    assert OfficerShift.objects.filter(pk=shift.pk).exists() and _withdrawals() == 0


# ---- the pages ----------------------------------------------------------------------------------


def test_the_location_page_offers_to_withdraw_only_shifts_that_have_not_started(
    client, home, civil_servant
):
    coming, running = shift_at(home), shift_at(home, hours=(-1, 2))
    client.force_login(civil_servant)
    html = client.get(f"/voorstellen/locaties/{home.slug}/").content.decode()
    assert html.count('data-testid="withdraw-shift"') == 1
    assert _page(home, coming) in html and _page(home, running) not in html


def test_a_civil_servant_withdraws_a_shift_through_its_page(client, home, civil_servant):
    shift = shift_at(home)
    client.force_login(civil_servant)
    form = client.get(_page(home, shift))
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    refused = client.post(_page(home, shift), {"reason": ""})
    assert refused.status_code == 400 and 'data-testid="form-errors"' in refused.content.decode()
    assert OfficerShift.objects.filter(pk=shift.pk).exists()
    done = client.post(_page(home, shift), {"reason": "Ziek gemeld"}, follow=True)
    assert done.redirect_chain[-1][0] == f"/voorstellen/locaties/{home.slug}/"
    assert "De dienst is ingetrokken" in done.content.decode()
    assert not OfficerShift.objects.filter(pk=shift.pk).exists()
    # Withdrawn: its page is gone.
    assert client.get(_page(home, shift)).status_code == 404


def test_the_location_page_lists_withdrawn_shifts_with_who_and_why(client, home, civil_servant):
    shift = shift_at(home)
    officing.cancel_shift(shift=shift, reason="Ziek gemeld", actor=civil_servant)
    shift_at(home)  # still planned: not among the withdrawn
    client.force_login(civil_servant)
    html = client.get(f"/voorstellen/locaties/{home.slug}/").content.decode()
    rows = html.split('data-testid="withdrawn-shift"')[1:]
    assert len(rows) == 1
    row = rows[0].split("</tr>")[0]
    assert str(shift.officer) in row and "Ziek gemeld" in row and "ambtenaar" in row


def test_a_started_shift_is_refused_on_the_page_and_stays(client, home, civil_servant):
    shift = shift_at(home, hours=(-1, 2))
    client.force_login(civil_servant)
    refused = client.post(_page(home, shift), {"reason": "Ziek"})
    assert refused.status_code == 400 and "al begonnen" in refused.content.decode()
    assert OfficerShift.objects.filter(pk=shift.pk).exists()


def test_a_shift_is_only_reached_through_its_own_location(client, home, civil_servant):
    other = officing.create_location(name="Buurthuis Noord", address="Noord 1", actor=None)
    shift = shift_at(other)
    client.force_login(civil_servant)
    assert client.get(_page(home, shift)).status_code == 404
    assert client.post(_page(home, shift), {"reason": "Ziek"}).status_code == 404
    assert OfficerShift.objects.filter(pk=shift.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_withdrawing_a_shift(
    client, home, user_for_role, area, community_member, role
):
    user = person_in_role(role, home, user_for_role, area)
    shift = shift_at(home)
    if user is not None:
        client.force_login(user)
    allowed = role == "civil_servant"
    response = client.get(_page(home, shift))
    assert response.status_code == (200 if allowed else 403 if user else 302)
    client.post(_page(home, shift), {"reason": "Weg"})
    assert OfficerShift.objects.filter(pk=shift.pk).exists() is not allowed
    assert _withdrawals() == (1 if allowed else 0)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    reason=st.one_of(
        st.text(max_size=200),
        st.sampled_from(["", " ", "\x00", "x" * 101, "<script>", "' OR 1=1", "\u202e", "%s"]),
    )
)
def test_no_reason_gives_a_server_error_or_half_a_withdrawal(client, home, civil_servant, reason):
    shift = shift_at(home)
    events = _withdrawals()
    client.force_login(civil_servant)
    response = client.post(_page(home, shift), {"reason": reason})
    assert response.status_code in (302, 400)
    gone = not OfficerShift.objects.filter(pk=shift.pk).exists()
    assert gone is (response.status_code == 302)
    assert _withdrawals() == events + (1 if gone else 0)


# The shift's clock moved by SQL, which PostgreSQL refuses (tests/at_commit.py).
@pytest.mark.rolled_back_only
def test_a_shift_with_something_recorded_in_it_stays_whatever_its_clock_says(
    home, civil_servant, area, community_member
):
    """A check-in recorded in a shift (its clock moved afterwards, as only SQL could): the
    withdrawal is refused and writes nothing, not even the officer's notice."""
    shift = recorded_shift_moved_ahead(home, actor=civil_servant, area=area, voter=community_member)
    with pytest.raises(ValidationError) as refused:
        officing.cancel_shift(shift=shift, reason="Ziek", actor=civil_servant)
    assert refused.value.code == "started"
    assert OfficerShift.objects.filter(pk=shift.pk).exists() and _withdrawals() == 0
