"""The public list of bodies (`/voorstellen/organen/`, finding 14 of
docs/reviews/2026-12-06-look.md): everyone reads the bodies and their seats, as the annual report
publishes them, and a member by name only as a public roll-call already names them. A body's own
page, the decision rules and every change stay with staff, refused on the server."""

import pytest
from django.urls import reverse

from governance import officing
from governance.models import Body, Choice, Seat, Side
from tests.accounts.factories import UserFactory
from tests.roles import ROLES, STAFF, is_denied, login_as

from .factories import BodyFactory, SeatFactory, decided, voting
from .shifts import person_in_role

pytestmark = pytest.mark.django_db


def _person(first, last, username):
    return UserFactory(
        username=username, first_name=first, last_name=last, email=f"{username}@example.nl"
    )


@pytest.fixture
def named_board():
    """A board whose seat holders voted in a decided roll-call vote, except those named below,
    and a youth council. Returns (who may be named, who may not)."""
    body = BodyFactory(name="Gemeenschapsbestuur Zuidoost")
    named = {
        "community": _person("Amara", "Mensah", "amensah"),
        "institution": _person("Pieter", "de Vries", "pdevries"),
    }
    unnamed = {
        "no full name": _person("", "", "zonder-naam-42"),
        "youth seat": _person("Noor", "Jansen", "noor2010"),
        "never voted": _person("Karin", "Bakker", "kbakker"),
        "advisory": _person("Henk", "Visser", "hvisser"),
        "youth council": _person("Sem", "de Boer", "semdeboer"),
    }
    for person, side in (
        (named["community"], Side.COMMUNITY),
        (named["institution"], Side.INSTITUTION),
        (unnamed["no full name"], Side.COMMUNITY),
        (unnamed["youth seat"], Side.YOUTH),
        (unnamed["advisory"], Side.ADVISORY),
    ):
        SeatFactory(body=body, user=person, side=side)
    # the roll-call: every voting seat holder so far votes (so the roll-call names them)
    proposal = voting(body=body)
    decided(
        proposal,
        {
            named["community"]: Choice.FOR,
            named["institution"]: Choice.FOR,
            unnamed["no full name"]: Choice.AGAINST,
            unnamed["youth seat"]: Choice.FOR,
        },
    )
    # a seat taken after that vote: nobody has seen this name with the body yet
    SeatFactory(body=body, user=unnamed["never voted"], side=Side.COMMUNITY)
    youth = BodyFactory(name="Jongerenraad Zuidoost", kind=Body.Kind.YOUTH_COUNCIL)
    SeatFactory(body=youth, user=unnamed["youth council"], side=Side.YOUTH)
    SeatFactory(body=youth, user=UserFactory(first_name="Lotte", last_name="Smit"), side=Side.YOUTH)
    youth_vote = voting(body=youth)
    decided(youth_vote, {person.user: Choice.FOR for person in youth.seats.all()})
    return body, named, unnamed


def test_the_public_page_names_members_only_as_a_roll_call_does(client, named_board):
    body, named, unnamed = named_board
    # when an anonymous visitor opens the list of bodies
    response = client.get("/voorstellen/organen/")
    # then it is there, with the seats per side, as the annual report publishes them
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gemeenschapsbestuur Zuidoost" in html and "Jongerenraad Zuidoost" in html
    # and the members a decided roll-call vote of the body named, by their full name
    members = html.split('data-testid="public-members"', 1)[1]
    for person in named.values():
        assert person.get_full_name() in members
    # and nobody else: not without a full name, not a youth seat, not an advisory member, not
    # one who has not voted in this body yet, not a youth council's members
    for person in unnamed.values():
        assert person.get_full_name() == "" or person.get_full_name() not in html
    assert "Lotte" not in html


def test_the_public_page_shows_no_e_mail_address_or_user_name(client, named_board):
    body, named, unnamed = named_board
    html = client.get("/voorstellen/organen/").content.decode()
    assert "@" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    for person in [*named.values(), *unnamed.values()]:
        assert person.email not in html
        assert person.username not in html


def test_the_public_page_names_nobody_whose_seat_has_ended(client, named_board):
    body, named, _unnamed = named_board
    Seat.objects.filter(body=body, user=named["community"]).update(ends_on="2020-06-30")
    html = client.get("/voorstellen/organen/").content.decode()
    assert named["community"].get_full_name() not in html
    assert named["institution"].get_full_name() in html


# --- Every role on the bodies' pages -----------------------------------------------------------


@pytest.fixture
def location(civil_servant):
    return officing.create_location(
        name="Buurthuis De Kraal", address="Kraaldreef 1", actor=civil_servant
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_list_and_only_staff_reach_further(
    client, user_for_role, area, location, named_board, role
):
    body, _named, _unnamed = named_board
    user = person_in_role(role, location, user_for_role, area)
    login_as(client, user)
    # the list: everyone
    response = client.get("/voorstellen/organen/")
    assert response.status_code == 200
    html = response.content.decode()
    detail = reverse("governance:body", args=[body.pk])
    # the links to a body's page and the decision rules: staff only; a new body: civil servants
    assert (f'href="{detail}"' in html) == (role in STAFF)
    assert (f'href="{reverse("governance:rules")}"' in html) == (role in STAFF)
    assert (f'href="{reverse("governance:body_create")}"' in html) == (role == "civil_servant")
    # a body's page (with its holders and the audit trail) and the rules: staff only
    for url in (detail, reverse("governance:rules")):
        response = client.get(url)
        if role in STAFF:
            assert response.status_code == 200
        else:
            assert is_denied(role, response)


@pytest.mark.parametrize("role", ["officer", "trustee"])
def test_an_officer_or_trustee_changes_no_body(
    client, user_for_role, area, location, named_board, role
):
    # (the other roles: tests/governance/test_bodies.py's matrix)
    body, _named, _unnamed = named_board
    login_as(client, person_in_role(role, location, user_for_role, area))
    before = (Seat.objects.count(), Body.objects.count())
    seat = body.seats.first()
    for url, data in (
        (reverse("governance:body_edit", args=[body.pk]), {"name": "Anders", "reason": "r"}),
        (reverse("governance:seat_end", args=[seat.pk]), {"ends_on": "2030-01-01", "reason": "r"}),
        (reverse("governance:body_create"), {"name": "X", "kind": "board", "reason": "r"}),
    ):
        assert client.post(url, data).status_code == 403
    body.refresh_from_db()
    seat.refresh_from_db()
    assert (body.name, seat.ends_on) == ("Gemeenschapsbestuur Zuidoost", None)
    assert (Seat.objects.count(), Body.objects.count()) == before


def test_the_list_of_bodies_is_linked_from_the_proposals_for_everyone(client):
    html = client.get("/voorstellen/").content.decode()
    assert f'href="{reverse("governance:bodies")}"' in html
