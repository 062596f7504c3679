"""Bodies, seats and decision rules: changed by civil servants on staff pages, through audited
services, with the composition rule enforced; a running or decided vote keeps what it started
with."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import bodies, services
from governance.models import Body, Choice, DecisionRule, Proposal, Seat, Side
from tests.accounts.factories import UserFactory, verified_in_person
from tests.roles import ACCOUNT_ROLES, STAFF, is_denied

from .factories import DecisionRuleFactory, board, decided, voting

pytestmark = pytest.mark.django_db

MANAGERS = {"civil_servant"}


def _state():
    """Every row of bodies, seats and rules and their audit trails."""
    return (
        list(Body.objects.order_by("pk").values()),
        list(Seat.objects.order_by("pk").values()),
        list(DecisionRule.objects.order_by("pk").values()),
        Body.history.count(),
        Seat.history.count(),
        DecisionRule.history.count(),
    )


# --- Services ---------------------------------------------------------------------------------


def test_a_seat_change_that_breaks_the_community_majority_is_refused(civil_servant):
    # given: 3 community and 2 institution seats (3 of 5: just a majority)
    body, voters = board(community=3, institution=2)
    before = _state()
    # when: one more institution seat (3 of 6, needs 4)
    with pytest.raises(ValidationError) as refused:
        bodies.add_seat(
            body=body,
            user=UserFactory(),
            side=Side.INSTITUTION,
            starts_on=timezone.localdate(),
            actor=civil_servant,
            reason="Nieuwe wethouder",
        )
    # then: refused with the numbers, and nothing written
    assert refused.value.code == "composition"
    assert "3" in refused.value.messages[0] and "4" in refused.value.messages[0]
    assert _state() == before


def test_ending_a_community_seat_that_breaks_the_majority_is_refused(civil_servant):
    body, voters = board(community=3, institution=2)
    seat = Seat.objects.get(user=voters[Side.COMMUNITY][0])
    before = _state()
    with pytest.raises(ValidationError) as refused:
        bodies.end_seat(
            seat=seat, ends_on=timezone.localdate(), actor=civil_servant, reason="Verhuisd"
        )
    assert refused.value.code == "composition"
    assert _state() == before


def test_a_future_seat_is_checked_on_the_day_it_starts(civil_servant):
    body, voters = board(community=3, institution=2)
    with pytest.raises(ValidationError):
        bodies.add_seat(
            body=body,
            user=UserFactory(),
            side=Side.INSTITUTION,
            starts_on=timezone.localdate() + timedelta(days=30),
            actor=civil_servant,
            reason="Volgende maand",
        )


def test_a_body_is_built_up_community_seats_first(civil_servant):
    rule = DecisionRuleFactory()
    body = bodies.create_body(
        name="Nieuw bestuur",
        kind=Body.Kind.BOARD,
        decision_rule=rule,
        actor=civil_servant,
        reason="Opgericht",
    )
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        bodies.add_seat(
            body=body,
            user=UserFactory(),
            side=Side.INSTITUTION,
            starts_on=today,
            actor=civil_servant,
            reason="Eerst",
        )
    for side in (Side.COMMUNITY, Side.YOUTH, Side.INSTITUTION):
        bodies.add_seat(
            body=body,
            user=UserFactory() if side == Side.INSTITUTION else verified_in_person(),
            side=side,
            starts_on=today,
            actor=civil_servant,
            reason="x",
        )
    assert body.seats.count() == 3


def test_a_broken_body_may_be_repaired_step_by_step(civil_servant):
    # given: a body that broke the rule before the rule was enforced (2 of 4)
    body, voters = board(community=2, institution=2)
    # when: one community seat more (3 of 5): closer to, and now meeting, the rule
    bodies.add_seat(
        body=body,
        user=verified_in_person(),  # a community seat needs a verification
        side=Side.COMMUNITY,
        starts_on=timezone.localdate(),
        actor=civil_servant,
        reason="Herstel",
    )
    # then
    from governance import selectors

    assert selectors.composition(body).ok


def test_every_change_records_who_when_and_why(civil_servant):
    rule = bodies.create_decision_rule(
        name="Tweederde",
        majority_percent=66,
        quorum=DecisionRule.Quorum.NONE,
        actor=civil_servant,
        reason="Voor grote besluiten",
    )
    rule = bodies.update_decision_rule(
        rule=rule, majority_percent=75, actor=civil_servant, reason="Afspraak van de raad"
    )
    latest = rule.history.first()
    assert latest.history_user == civil_servant
    assert latest.history_change_reason == "Afspraak van de raad"
    assert latest.majority_percent == 75
    assert rule.history.count() == 2


@pytest.mark.parametrize("reason", ["", "   ", "x" * 101])
def test_a_change_without_a_reason_is_refused(civil_servant, reason):
    rule = DecisionRuleFactory()
    before = _state()
    with pytest.raises(ValidationError) as refused:
        bodies.update_decision_rule(
            rule=rule, majority_percent=60, actor=civil_servant, reason=reason
        )
    assert "reason" in refused.value.message_dict
    assert _state() == before


def test_only_a_civil_servant_changes_bodies(administrator, community_member):
    rule = DecisionRuleFactory()
    before = _state()
    for actor in (administrator, community_member):
        with pytest.raises(ValidationError):
            bodies.update_decision_rule(rule=rule, majority_percent=60, actor=actor, reason="x")
    assert _state() == before


def test_a_deciding_body_needs_a_rule(civil_servant):
    with pytest.raises(ValidationError) as refused:
        bodies.create_body(
            name="Zonder regel", kind=Body.Kind.BOARD, actor=civil_servant, reason="x"
        )
    assert "decision_rule" in refused.value.message_dict
    assert not Body.objects.exists()


# --- Frozen at voting -------------------------------------------------------------------------


def test_a_rule_change_during_voting_does_not_touch_the_tally(civil_servant, client):
    # given: a body's vote under a 50% rule with the community guarantee
    body, voters = board(community=3, institution=2)
    rule = body.decision_rule
    proposal = voting(body=body)
    # 3 of 5 for: adopted under 50%; rejected under 75%
    votes = dict.fromkeys(voters[Side.COMMUNITY], Choice.FOR)
    votes.update(dict.fromkeys(voters[Side.INSTITUTION], Choice.AGAINST))
    # when: the rule is changed on the staff page while the vote runs
    client.force_login(civil_servant)
    response = client.post(
        reverse("governance:rule_edit", args=[rule.pk]),
        {
            "name": rule.name,
            "majority_percent": "75",
            "quorum": "none",
            "quorum_value": "",
            "community_guarantee": "on",
            "reason": "Strenger",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.majority_percent == 75
    decided_proposal = decided(proposal, votes)
    # then: the tally used the rule as it was when voting opened
    assert decided_proposal.status == Proposal.Status.ADOPTED
    assert decided_proposal.decision.tally["majority_percent"] == 50
    page = client.get(decided_proposal.get_absolute_url()).content.decode()
    assert "50%" in page and 'data-testid="frozen-composition"' in page


def test_a_seat_change_during_voting_does_not_touch_the_roll_or_the_display(civil_servant, client):
    body, voters = board(community=4, institution=2)
    proposal = voting(body=body)
    snapshot = proposal.composition_snapshot
    assert snapshot["community"] == 4 and snapshot["institution"] == 2
    assert {seat["side"] for seat in snapshot["seats"]} == {Side.COMMUNITY, Side.INSTITUTION}
    leaving = voters[Side.COMMUNITY][0]
    bodies.end_seat(
        seat=Seat.objects.get(user=leaving),
        ends_on=timezone.localdate() - timedelta(days=1),
        actor=civil_servant,
        reason="Verhuisd",
    )
    newcomer = verified_in_person()
    bodies.add_seat(
        body=body,
        user=newcomer,
        side=Side.COMMUNITY,
        starts_on=timezone.localdate(),
        actor=civil_servant,
        reason="Opvolger",
    )
    proposal.refresh_from_db()
    assert proposal.composition_snapshot == snapshot
    # the one who left still votes in this vote; the newcomer does not
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=leaving)
    with pytest.raises(ValidationError):
        services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=newcomer)
    client.force_login(civil_servant)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "4" in page.split('data-testid="frozen-composition"')[1].split("</p>")[0]


# --- Pages ------------------------------------------------------------------------------------


def test_a_civil_servant_adds_and_ends_seats_through_the_pages(client, civil_servant):
    body, voters = board(community=3, institution=2)
    client.force_login(civil_servant)
    person = verified_in_person(UserFactory(username="nieuwkomer"))
    response = client.post(
        reverse("governance:seat_add", args=[body.pk]),
        {
            "user": person.pk,
            "side": Side.COMMUNITY,
            "starts_on": timezone.localdate().isoformat(),
            "reason": "Gekozen door de buurt",
        },
    )
    assert response.status_code == 302
    seat = Seat.objects.get(user=person)
    page = client.get(reverse("governance:body", args=[body.pk])).content.decode()
    assert "nieuwkomer" in page and "Gekozen door de buurt" in page
    response = client.post(
        reverse("governance:seat_end", args=[seat.pk]),
        {"ends_on": timezone.localdate().isoformat(), "reason": "Termijn voorbij"},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ends_on == timezone.localdate()


def test_a_refused_seat_shows_the_message_and_writes_nothing(client, civil_servant):
    body, voters = board(community=3, institution=2)
    client.force_login(civil_servant)
    before = _state()
    response = client.post(
        reverse("governance:seat_add", args=[body.pk]),
        {
            "user": UserFactory().pk,
            "side": Side.INSTITUTION,
            "starts_on": timezone.localdate().isoformat(),
            "reason": "Nog een",
        },
    )
    assert response.status_code == 400
    assert "community" in response.content.decode() or "gemeenschap" in response.content.decode()
    assert _state() == before


def test_a_form_without_a_reason_writes_nothing(client, civil_servant):
    rule = DecisionRuleFactory()
    client.force_login(civil_servant)
    before = _state()
    response = client.post(
        reverse("governance:rule_edit", args=[rule.pk]),
        {"name": rule.name, "majority_percent": "60", "quorum": "none", "reason": ""},
    )
    assert response.status_code == 400
    assert _state() == before


def test_a_civil_servant_makes_a_body_and_a_rule_through_the_pages(client, civil_servant):
    client.force_login(civil_servant)
    response = client.post(
        reverse("governance:rule_create"),
        {"name": "Gewoon", "majority_percent": "50", "quorum": "majority", "reason": "Start"},
    )
    assert response.status_code == 302
    rule = DecisionRule.objects.get(name="Gewoon")
    response = client.post(
        reverse("governance:body_create"),
        {
            "name": "Jongerenraad Oost",
            "kind": Body.Kind.YOUTH_COUNCIL,
            "decision_rule": rule.pk,
            "reason": "Opgericht",
        },
    )
    body = Body.objects.get(name="Jongerenraad Oost")
    assert response.url == reverse("governance:body", args=[body.pk])
    assert body.history.first().history_change_reason == "Opgericht"


# --- Permission matrix ------------------------------------------------------------------------


@pytest.fixture
def targets():
    body, voters = board(community=3, institution=1)
    return {"body": body, "seat": body.seats.first(), "rule": body.decision_rule}


GET_PAGES = [
    # the list is public (finding 14 of docs/reviews/2026-12-06-look.md); the rest is staff's
    ("governance:bodies", None, frozenset(ACCOUNT_ROLES)),
    ("governance:body", "body", STAFF),
    ("governance:rules", None, STAFF),
    ("governance:body_create", None, MANAGERS),
    ("governance:body_edit", "body", MANAGERS),
    ("governance:seat_add", "body", MANAGERS),
    ("governance:seat_end", "seat", MANAGERS),
    ("governance:rule_create", None, MANAGERS),
    ("governance:rule_edit", "rule", MANAGERS),
]


def _url(name, target, targets):
    return reverse(name, args=[targets[target].pk]) if target else reverse(name)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(("name", "target", "allowed"), GET_PAGES)
def test_who_sees_the_body_pages(client, user_for_role, targets, role, name, target, allowed):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    response = client.get(_url(name, target, targets))
    if role in allowed:
        assert response.status_code == 200
    else:
        assert is_denied(role, response)


def _post_data(name, targets):
    today = timezone.localdate().isoformat()
    return {
        "governance:body_create": {
            "name": "X",
            "kind": Body.Kind.ADVISORY_COMMITTEE,
            "reason": "r",
        },
        "governance:body_edit": {
            "name": "Anders",
            "kind": Body.Kind.BOARD,
            "decision_rule": targets["rule"].pk,
            "reason": "r",
        },
        "governance:seat_add": {
            "user": verified_in_person().pk,
            "side": Side.COMMUNITY,
            "starts_on": today,
            "reason": "r",
        },
        "governance:seat_end": {"ends_on": today, "reason": "r"},
        "governance:rule_create": {
            "name": "Nieuw",
            "majority_percent": "60",
            "quorum": "none",
            "reason": "r",
        },
        "governance:rule_edit": {
            "name": "Anders",
            "majority_percent": "60",
            "quorum": "none",
            "reason": "r",
        },
    }[name]


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    ("name", "target"),
    [(name, target) for name, target, allowed in GET_PAGES if allowed == MANAGERS],
)
def test_who_changes_bodies_and_a_refusal_writes_nothing(
    client, user_for_role, targets, role, name, target
):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    data = _post_data(name, targets)
    before = _state()
    response = client.post(_url(name, target, targets), data)
    if role in MANAGERS:
        assert response.status_code == 302
        assert _state() != before
    else:
        assert is_denied(role, response)
        assert _state() == before
