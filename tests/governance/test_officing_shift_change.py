"""A civil servant changes the time or task of a shift that has not started (the building opens
later, counting instead of check-in), saying why: the shift keeps its officer and decision, its
history says who changed what and why, and the officer hears what it was and what it is now."""

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

CHECK_IN, COUNTING = OfficerShift.Task.CHECK_IN, OfficerShift.Task.COUNTING


@pytest.fixture
def home(civil_servant):
    return officing.create_location(
        name="Buurthuis Bijlmer", address="Bijlmerplein 1", actor=civil_servant
    )


def _later(shift, hours=2) -> dict:
    return {
        "starts_at": shift.starts_at + timedelta(hours=hours),
        "ends_at": shift.ends_at + timedelta(hours=hours),
        "task": shift.task,
    }


def _page(home, shift) -> str:
    return f"/voorstellen/locaties/{home.slug}/diensten/{shift.pk}/wijzigen/"


def _changes() -> int:
    return Event.objects.filter(kind=Kind.SHIFT_CHANGED).count()


def _as_stored(shift) -> tuple:
    stored = OfficerShift.objects.get(pk=shift.pk)
    return stored.starts_at, stored.ends_at, stored.task, stored.officer_id, stored.appointed_by


def _form(when, **more) -> dict:
    local = {
        k: timezone.localtime(v).strftime("%Y-%m-%dT%H:%M") for k, v in when.items() if k != "task"
    }
    return {**local, "task": when["task"], "reason": "Het buurthuis gaat later open", **more}


# ---- the service --------------------------------------------------------------------------------


def test_a_coming_shift_changes_with_who_and_why_in_its_history_and_the_officer_told(
    home, civil_servant
):
    shift = shift_at(home)
    was = _as_stored(shift)
    new = {**_later(shift), "task": COUNTING}
    officing.change_shift(shift=shift, reason="  Later open.  ", actor=civil_servant, **new)
    stored = _as_stored(shift)
    assert stored[:3] == (new["starts_at"], new["ends_at"], COUNTING)
    assert stored[3:] == was[3:]  # the officer and the decision stay
    event = told_of(
        shift, kind=Kind.SHIFT_CHANGED, history_type="~", actor=civil_servant, reason="Later open."
    )
    with translation.override("nl"):
        subject, text = messages.render(event.kind, event.data)
    assert subject.startswith("Dienst gewijzigd: Buurthuis Bijlmer, ")
    assert "Eerst: Inchecken aan de tafel" in text and "Nu: Papieren stembiljetten tellen" in text
    assert text.endswith("De reden: Later open.")
    with translation.override("en"):
        _subject, text = messages.render(event.kind, event.data)
    assert "Before: Check-in at the table" in text and "Now: Counting paper ballots" in text


@pytest.mark.parametrize("hours", [(-1, 2), (-5, -1)], ids=["running", "ended"])
def test_a_shift_that_has_started_stays_as_it_is(home, civil_servant, hours):
    shift = shift_at(home, hours=hours)
    was = _as_stored(shift)
    with pytest.raises(ValidationError) as refused:
        officing.change_shift(
            shift=shift, reason="Later", actor=civil_servant, **_later(shift, hours=10)
        )
    assert refused.value.code == "started"
    assert _as_stored(shift) == was and _changes() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 101}, "reason"),
        ({"task": "koffie"}, "task"),
        ({"ends_at": "starts"}, "ends_at"),  # ends when it starts
        ({"starts_at": "past"}, "starts_at"),  # a changed shift that seems to have run
    ],
    ids=["empty", "spaces", "long", "task", "ends-at-start", "starts-in-the-past"],
)
def test_a_change_that_cannot_be_taken_writes_nothing(home, civil_servant, change, field):
    shift = shift_at(home)
    was = _as_stored(shift)
    values = {**_later(shift), "reason": "Later open"}
    values.update(change)
    if values["ends_at"] == "starts":
        values["ends_at"] = values["starts_at"]
    if values["starts_at"] == "past":
        values["starts_at"] = timezone.now() - timedelta(minutes=1)
    with pytest.raises(ValidationError) as refused:
        officing.change_shift(shift=shift, actor=civil_servant, **values)
    assert field in refused.value.message_dict
    assert _as_stored(shift) == was and _changes() == 0
    assert OfficerShift.history.filter(id=shift.pk).count() == 1  # its recording only


def test_nothing_changed_is_said_and_not_written(home, civil_servant):
    shift = shift_at(home)
    same = {"starts_at": shift.starts_at, "ends_at": shift.ends_at, "task": shift.task}
    with pytest.raises(ValidationError) as refused:
        officing.change_shift(shift=shift, reason="Niets", actor=civil_servant, **same)
    assert refused.value.code == "unchanged" and _changes() == 0
    assert OfficerShift.history.filter(id=shift.pk).count() == 1


def test_the_form_saved_as_it_opened_changes_nothing(client, home, civil_servant):
    """A shift recorded with seconds (as the demo does) shows its times to the minute; saving
    the form unchanged is "nothing changed", not a change of a few seconds told to the officer."""
    shift = shift_at(home)
    assert shift.starts_at.second or shift.starts_at.microsecond  # recorded with seconds
    client.force_login(civil_servant)
    same = {"starts_at": shift.starts_at, "ends_at": shift.ends_at, "task": shift.task}
    response = client.post(_page(home, shift), _form(same))
    assert response.status_code == 400 and "Er is niets gewijzigd" in response.content.decode()
    assert _changes() == 0 and OfficerShift.history.filter(id=shift.pk).count() == 1


def test_a_withdrawn_shift_cannot_be_changed(home, civil_servant):
    shift = shift_at(home)
    officing.cancel_shift(shift=shift, reason="Ziek", actor=civil_servant)
    with pytest.raises(ValidationError) as refused:  # a second tab with the same shift
        officing.change_shift(shift=shift, reason="Later", actor=civil_servant, **_later(shift))
    assert refused.value.code == "gone" and _changes() == 0


def test_a_shift_that_started_after_the_page_loaded_is_read_again(home, civil_servant):
    shift = shift_at(home)
    OfficerShift.objects.filter(pk=shift.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:  # `shift` still says it starts tomorrow
        officing.change_shift(shift=shift, reason="Later", actor=civil_servant, **_later(shift))
    assert refused.value.code == "started" and _changes() == 0


def test_a_shift_at_a_closed_location_is_not_changed(home, civil_servant):
    shift = shift_at(home)
    officing.close_location(location=home, reason="Verbouwing", actor=civil_servant)
    was = _as_stored(shift)
    with pytest.raises(ValidationError) as refused:
        officing.change_shift(shift=shift, reason="Later", actor=civil_servant, **_later(shift))
    assert refused.value.code == "closed"
    assert _as_stored(shift) == was and _changes() == 0


# The shift's clock moved by SQL, which PostgreSQL refuses (tests/at_commit.py).
@pytest.mark.rolled_back_only
def test_a_shift_with_something_recorded_in_it_stays_whatever_its_clock_says(
    home, civil_servant, area, community_member
):
    """A check-in recorded in a shift whose clock was moved afterwards (as only SQL could):
    the change is refused, so the check-in keeps the hours it was recorded in."""
    shift = recorded_shift_moved_ahead(home, actor=civil_servant, area=area, voter=community_member)
    was = _as_stored(shift)
    with pytest.raises(ValidationError) as refused:
        officing.change_shift(shift=shift, reason="Later", actor=civil_servant, **_later(shift))
    assert refused.value.code == "started"
    assert _as_stored(shift) == was and _changes() == 0


def test_only_a_civil_servant_changes_a_shift(home, user_for_role):
    shift = shift_at(home)
    was = _as_stored(shift)
    for role in ("community_member", "youth_council", "advisory_member", "administrator"):
        with pytest.raises(ValidationError) as refused:
            officing.change_shift(
                shift=shift, reason="Later", actor=user_for_role(role), **_later(shift)
            )
        assert refused.value.code == "forbidden", role
    with pytest.raises(ValidationError):  # nor the officer themselves
        officing.change_shift(shift=shift, reason="Later", actor=shift.officer, **_later(shift))
    assert _as_stored(shift) == was and _changes() == 0


def test_the_officers_own_list_shows_the_new_time(client, home, civil_servant):
    shift = shift_at(home)
    officer = shift.officer
    new = _later(shift, hours=26)
    officing.change_shift(shift=shift, reason="Later", actor=civil_servant, **new)
    client.force_login(officer)
    html = client.get("/diensten/").content.decode()
    day = timezone.localtime(new["starts_at"])
    assert f"{day:%H:%M}" in html and "Buurthuis Bijlmer" in html


# ---- the pages ----------------------------------------------------------------------------------


def test_the_location_page_offers_to_change_only_coming_shifts_at_an_open_location(
    client, home, civil_servant
):
    coming, running = shift_at(home), shift_at(home, hours=(-1, 2))
    client.force_login(civil_servant)
    html = client.get(f"/voorstellen/locaties/{home.slug}/").content.decode()
    assert html.count('data-testid="change-shift"') == 1
    assert _page(home, coming) in html and _page(home, running) not in html
    officing.close_location(location=home, reason="Verbouwing", actor=civil_servant)
    html = client.get(f"/voorstellen/locaties/{home.slug}/").content.decode()
    assert 'data-testid="change-shift"' not in html
    assert 'data-testid="withdraw-shift"' in html  # withdrawing stays possible


def test_a_civil_servant_changes_a_shift_through_its_page(client, home, civil_servant):
    shift = shift_at(home)
    client.force_login(civil_servant)
    form = client.get(_page(home, shift)).content.decode()
    # It opens with the shift's own times, as the time fields show them.
    starts = timezone.localtime(shift.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{starts}"' in form and 'name="reason"' in form
    new = {**_later(shift), "task": COUNTING}
    refused = client.post(_page(home, shift), _form(new, reason=""))
    assert refused.status_code == 400 and 'data-testid="form-errors"' in refused.content.decode()
    assert _changes() == 0
    done = client.post(_page(home, shift), _form(new), follow=True)
    assert done.redirect_chain[-1][0] == f"/voorstellen/locaties/{home.slug}/"
    assert "De dienst is gewijzigd" in done.content.decode()
    name = civil_servant.get_full_name() or civil_servant.username
    assert f"door {name}: Het buurthuis gaat later open" in done.content.decode()
    stored = OfficerShift.objects.get(pk=shift.pk)
    assert stored.task == COUNTING
    assert stored.starts_at == new["starts_at"].replace(second=0, microsecond=0)
    assert _changes() == 1


def test_the_page_says_why_a_change_is_refused(client, home, civil_servant):
    shift = shift_at(home)
    client.force_login(civil_servant)
    same = {"starts_at": shift.starts_at, "ends_at": shift.ends_at, "task": shift.task}
    unchanged = client.post(_page(home, shift), _form(same))
    assert unchanged.status_code == 400 and "Er is niets gewijzigd" in unchanged.content.decode()
    running = shift_at(home, hours=(-1, 2))
    refused = client.post(_page(home, running), _form(_later(running, hours=5)))
    assert refused.status_code == 400 and "al begonnen" in refused.content.decode()
    assert _changes() == 0


def test_a_shift_is_only_reached_through_its_own_location(client, home, civil_servant):
    other = officing.create_location(name="Buurthuis Noord", address="Noord 1", actor=None)
    shift = shift_at(other)
    client.force_login(civil_servant)
    assert client.get(_page(home, shift)).status_code == 404
    assert client.post(_page(home, shift), _form(_later(shift))).status_code == 404
    assert _changes() == 0


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_changing_a_shift(
    client, home, user_for_role, area, community_member, role
):
    user = person_in_role(role, home, user_for_role, area)
    shift = shift_at(home)
    was = _as_stored(shift)
    if user is not None:
        client.force_login(user)
    allowed = role == "civil_servant"
    response = client.get(_page(home, shift))
    assert response.status_code == (200 if allowed else 403 if user else 302)
    client.post(_page(home, shift), _form(_later(shift)))
    assert (_as_stored(shift) != was) is allowed
    assert _changes() == (1 if allowed else 0)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fields=st.fixed_dictionaries(
        {
            "starts_at": st.one_of(
                st.text(max_size=30),
                st.sampled_from(["2026-13-45T25:61", "2099-01-01T10:00", "1900-01-01T00:00"]),
            ),
            "ends_at": st.one_of(
                st.text(max_size=30), st.sampled_from(["2099-01-01T09:00", "2099-01-01T12:00"])
            ),
            "task": st.one_of(st.text(max_size=12), st.sampled_from(["checkin", "counting"])),
            "reason": st.one_of(
                st.text(max_size=150), st.sampled_from(["", "\x00", "x" * 101, "<script>"])
            ),
        }
    )
)
def test_no_form_input_gives_a_server_error_or_half_a_change(client, home, civil_servant, fields):
    shift = shift_at(home)
    was = _as_stored(shift)
    events = _changes()
    client.force_login(civil_servant)
    response = client.post(_page(home, shift), fields)
    assert response.status_code in (302, 400)
    changed = _as_stored(shift) != was
    assert changed is (response.status_code == 302)
    assert _changes() == events + (1 if changed else 0)


def test_the_location_page_shows_each_shifts_latest_change_with_who_and_why(
    client, home, civil_servant
):
    changed, untouched = shift_at(home), shift_at(home, hours=(30, 34))
    officing.change_shift(
        shift=changed, reason="Eerder open", actor=civil_servant, **_later(changed, 1)
    )
    officing.change_shift(shift=changed, reason="Later open", actor=None, **_later(changed, 3))
    client.force_login(civil_servant)
    html = client.get(f"/voorstellen/locaties/{home.slug}/").content.decode()
    rows = {
        name: row.split("</tr>")[0]
        for row in html.split('data-testid="shift"')[1:]
        for name in (changed.officer.username, untouched.officer.username)
        if name in row.split("</td>")[0]
    }
    assert rows[changed.officer.username].count('data-testid="shift-changed"') == 1
    assert "Gewijzigd op " in rows[changed.officer.username]
    assert ": Later open" in rows[changed.officer.username]  # the latest, by the system
    assert "Eerder open" not in rows[changed.officer.username]
    assert 'data-testid="shift-changed"' not in rows[untouched.officer.username]
