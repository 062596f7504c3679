"""Verification per action enforced where the action happens (issue 15): each action × each
method × expired or not through the real services; commenting as a permission matrix with both
settings of its requirement; the keys the budget round asks exist."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import MemberVerification, Role, VerificationRequirement
from governance import bodies, officing
from governance import services as governance
from governance.models import Comment, Seat, Side
from governance.models.officing import OfficerShift
from tests.accounts.factories import UserFactory, verified_in_person
from tests.accounts.test_verification_requirements import verified
from tests.roles import ROLES as ROLES_OF_EVERY_MATRIX
from tests.roles import STAFF

from .factories import board, in_discussion, poll

pytestmark = pytest.mark.django_db

Action = VerificationRequirement.Action
Method = MemberVerification.Method
VALID_DAYS = 30


def _comment(user, ctx):
    proposal = ctx.setdefault("proposal", in_discussion())
    governance.post_comment(proposal=proposal, text="Goed plan", actor=user)
    return Comment.objects.filter(proposal=proposal, author=user).exists()


def _board_seat(user, ctx):
    body, _voters = ctx.setdefault("board", board(community=2, institution=1))
    bodies.add_seat(
        body=body,
        user=user,
        side=Side.COMMUNITY,
        starts_on=timezone.localdate(),
        actor=ctx["civil_servant"],
        reason="Gekozen door de buurt",
    )
    return Seat.objects.filter(body=body, user=user).exists()


def _officer(user, ctx):
    location = ctx.setdefault(
        "location",
        officing.create_location(name="Buurthuis", address="Plein 1", actor=ctx["civil_servant"]),
    )
    now = timezone.now()
    officing.add_shift(
        officer=user,
        location=location,
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=3),
        task=OfficerShift.Task.CHECK_IN,
        appointed_by="Besluit bestuur 1",
        actor=ctx["civil_servant"],
    )
    return OfficerShift.objects.filter(officer=user).exists()


ENFORCED = {Action.COMMENT: _comment, Action.BOARD_SEAT: _board_seat, Action.OFFICER: _officer}


@pytest.mark.parametrize("expired", [False, True], ids=["in_force", "expired"])
@pytest.mark.parametrize("method", Method.values)
@pytest.mark.parametrize("action", list(ENFORCED))
@pytest.mark.parametrize("account_is_enough", [False, True], ids=["verification", "account"])
def test_each_service_asks_the_requirement_of_its_action(
    action, method, expired, account_is_enough, area, civil_servant
):
    # given: the seed's methods for `action`, every verification valid for 30 days
    VerificationRequirement.objects.filter(action=action).update(
        valid_days=VALID_DAYS, account_is_enough=account_is_enough
    )
    rule = VerificationRequirement.objects.get(action=action)
    user = UserFactory()
    days_ago = VALID_DAYS + 1 if expired else VALID_DAYS - 1
    verified(user, method, area=area, civil_servant=civil_servant, days_ago=days_ago)
    expected = rule.account_is_enough or (method in rule.methods and not expired)
    ctx = {"civil_servant": civil_servant}
    # then: the service does it, or refuses with a message and writes nothing
    if expected:
        assert ENFORCED[action](user, ctx)
    else:
        with pytest.raises(ValidationError) as refused:
            ENFORCED[action](user, ctx)
        assert refused.value.messages
        assert not Comment.objects.filter(author=user).exists()
        assert not Seat.objects.filter(user=user).exists()
        assert not OfficerShift.objects.filter(officer=user).exists()
    assert account_selectors.may_do(user, action) is expected


def test_institution_and_advisory_seats_need_no_resident_verification(civil_servant):
    body, _voters = board(community=3, institution=1)
    alderman, adviser = UserFactory(roles=[Role.CIVIL_SERVANT]), UserFactory()
    for user, side in ((alderman, Side.INSTITUTION), (adviser, Side.ADVISORY)):
        bodies.add_seat(
            body=body,
            user=user,
            side=side,
            starts_on=timezone.localdate(),
            actor=civil_servant,
            reason="Benoemd",
        )
    assert body.seats.filter(user__in=[alderman, adviser]).count() == 2


def test_a_civil_servant_may_staff_a_community_home_as_an_employee(civil_servant):
    colleague = UserFactory(roles=[Role.CIVIL_SERVANT])
    assert _officer(colleague, {"civil_servant": civil_servant})


def test_the_seat_page_refuses_an_unverified_person_with_a_message(client, civil_servant):
    body, _voters = board(community=2, institution=1)
    resident = UserFactory(username="nietgeverifieerd")
    client.force_login(civil_servant)
    response = client.post(
        reverse("governance:seat_add", args=[body.pk]),
        {
            "user": resident.pk,
            "side": Side.COMMUNITY,
            "starts_on": timezone.localdate().isoformat(),
            "reason": "Gekozen",
        },
    )
    assert response.status_code == 400
    assert "niet geverifieerd" in response.content.decode()
    assert not Seat.objects.filter(user=resident).exists()
    # verified in person: the same page gives the seat
    verified_in_person(resident)
    response = client.post(
        reverse("governance:seat_add", args=[body.pk]),
        {
            "user": resident.pk,
            "side": Side.COMMUNITY,
            "starts_on": timezone.localdate().isoformat(),
            "reason": "Gekozen",
        },
    )
    assert response.status_code == 302
    assert Seat.objects.filter(user=resident, side=Side.COMMUNITY).exists()


def test_the_budget_round_keys_exist_with_sensible_defaults():
    table = {r.action: r for r in VerificationRequirement.objects.all()}
    # w14's budget round asks these two keys.
    assert table["submit_plan"].account_is_enough
    assert not table["budget_vote"].account_is_enough
    assert {Method.IN_PERSON, Method.CODE} <= set(table["budget_vote"].methods)
    assert table["submit_initiative"].account_is_enough
    assert "submit" not in table


@pytest.mark.parametrize("action", Action.values)
def test_a_staff_account_never_does_a_residents_action(action, civil_servant, administrator):
    VerificationRequirement.objects.update(account_is_enough=True)
    for staff in (civil_servant, administrator, UserFactory(is_staff=True)):
        assert not account_selectors.may_do(staff, action)


# --- Commenting: who may, with both settings of its requirement (role × setting) ----------------

# An unverified resident beside the eight roles of every matrix.
ROLES = ["anonymous", "resident", *ROLES_OF_EVERY_MATRIX[1:]]
VERIFIED = {"community_member", "youth_council", "officer"}


@pytest.fixture
def person(user_for_role, resident, area, civil_servant):
    def make(role):
        if role == "resident":
            return resident
        if role == "officer":
            officer = verified_in_person(UserFactory(username="stembureaulid"))
            _officer(officer, {"civil_servant": civil_servant})
            return officer
        if role == "trustee":
            proposal = poll(areas=[area])
            return proposal.shares.select_related("trustee").first().trustee
        return user_for_role(role)

    return make


@pytest.mark.parametrize("setting", ["account", "verification"])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_comment(client, person, role, setting):
    # given
    VerificationRequirement.objects.filter(action=Action.COMMENT).update(
        account_is_enough=setting == "account"
    )
    user = person(role)
    proposal = in_discussion()
    may = {"account": set(ROLES) - STAFF - {"anonymous"}, "verification": VERIFIED}
    allowed = role in may[setting]
    if user is not None:
        client.force_login(user)
    # then: the page shows the form only to who may
    page = client.get(reverse("governance:detail", args=[proposal.pk]))
    assert (reverse("governance:comment", args=[proposal.pk]) in page.content.decode()) == allowed
    # when
    response = client.post(
        reverse("governance:comment", args=[proposal.pk]), {"text": "Mijn mening"}
    )
    # then: a refused comment writes nothing
    assert Comment.objects.filter(proposal=proposal).count() == allowed
    if allowed:
        assert response.status_code == 302
    elif role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 403


def test_a_superuser_gets_no_community_seat_by_the_admin_shortcut(civil_servant):
    body, _voters = board(community=2, institution=1)
    boss = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError):
        bodies.add_seat(
            body=body,
            user=boss,
            side=Side.COMMUNITY,
            starts_on=timezone.localdate(),
            actor=civil_servant,
            reason="Baas",
        )
    assert not Seat.objects.filter(user=boss).exists()
