"""The Community Home pages show fifty rows a page, not every row (issue 16): the locations, a
location's shifts (running and coming ones first) and the locations of a poll."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import OfficerShift
from tests.accounts.factories import UserFactory, verified_in_person
from tests.query_counts import community
from tests.roles import ACCOUNT_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(area, user_for_role):
    """As the query-count test's: the area and a user per role (a poll needs its voters)."""
    return {"area": area} | {role: user_for_role(role) for role in ACCOUNT_ROLES}


def _next_link(response, label="Pagina's") -> str:
    """The "Next" link of the paging named `label` (a location's page pages two lists)."""
    html = response.content.decode()
    nav = re.search(
        rf'<nav class="utrecht-pagination" aria-label="{label}">(.*?)</nav>', html, re.S
    )
    found = nav and re.search(r'rel="next" href="([^"#]+)', nav.group(1))
    return found.group(1).replace("&amp;", "&") if found else ""


def _pages(client, url, testid, label="Pagina's"):
    """The rows (by data-testid) of the first page, and of the page its "Next" link opens."""
    first = client.get(url)
    assert first.status_code == 200
    rows = first.content.decode().count(f'data-testid="{testid}"')
    link = _next_link(first, label)
    if not link:
        return rows, None, first
    second = client.get(url.split("?")[0] + link)
    return rows, second.content.decode().count(f'data-testid="{testid}"'), second


@pytest.mark.parametrize(
    ("build", "testid"),
    [(community.locations, "location"), (community.location, "shift")],
    ids=["locations", "shifts"],
)
def test_ten_rows_fit_on_one_page(client, ctx, civil_servant, build, testid):
    url = build(10, ctx)
    client.force_login(civil_servant)
    assert _pages(client, url, testid)[:2] == (10, None)


@pytest.mark.parametrize(
    ("build", "testid", "label"),
    [
        (community.locations, "location", "Pagina's"),
        (community.location, "shift", "Pagina's met diensten"),
    ],
    ids=["locations", "shifts"],
)
def test_sixty_rows_are_shown_fifty_a_page_and_the_next_link_keeps_the_query(
    client, ctx, civil_servant, build, testid, label
):
    url = build(60, ctx)
    client.force_login(civil_servant)
    first, second, page_two = _pages(client, url + "?weergave=lijst", testid, label)
    assert (first, second) == (50, 10)
    assert page_two.context["page"].number == 2
    # the rest of the query string is kept in the links (the "Previous" link of page 2; the
    # shifts' links also jump to the shifts: "#diensten")
    assert 'href="?weergave=lijst&amp;page=1' in page_two.content.decode()


def test_a_location_shows_running_and_coming_shifts_first_then_past_ones(
    client, ctx, civil_servant
):
    url = community.location(60, ctx)
    home = OfficerShift.objects.first().location
    now = timezone.now()
    for days, name in ((-30, "lang-geleden"), (-1, "gisteren")):
        OfficerShift.objects.create(
            officer=UserFactory(username=name), location=home, task=OfficerShift.Task.COUNTING,
            starts_at=now + timedelta(days=days), ends_at=now + timedelta(days=days, hours=2),
            appointed_by="Besluit 2",
        )  # fmt: skip
    client.force_login(civil_servant)
    first = client.get(url).context["shifts"]
    assert [s.starts_at for s in first] == sorted(s.starts_at for s in first)
    assert all(s.ends_at > now for s in first)
    last = client.get(url, {"page": 2}).context["shifts"]
    assert [s.officer.username for s in last][-2:] == ["gisteren", "lang-geleden"]


def test_the_locations_of_a_poll_are_shown_fifty_a_page(client, ctx, civil_servant):
    small = community.offer(10, ctx)  # 5 of the 10 locations offer the poll
    url = community.offer(120, ctx)  # 60 of the 120 locations offer the poll
    client.force_login(civil_servant)
    assert _pages(client, small, "offered")[:2] == (5, None)
    first, second, _page_two = _pages(client, url, "offered")
    assert (first, second) == (50, 10)


def test_the_shift_form_takes_a_user_name_instead_of_listing_every_account(
    client, ctx, civil_servant
):
    url = community.location(10, ctx)
    verified_in_person(
        UserFactory(username="zonder-dienst", first_name="Zoë", last_name="Zonderdienst")
    )
    client.force_login(civil_servant)
    assert "Zonderdienst" not in client.get(url).content.decode()  # not in a list of accounts
    shift = {"task": "checkin", "starts_at": "2030-01-01 09:00", "ends_at": "2030-01-01 17:00",
             "appointed_by": "Besluit 2"}  # fmt: skip
    refused = client.post(url, shift | {"officer": "bestaat-niet"})
    assert refused.status_code == 400
    assert "Er is geen actief account met deze gebruikersnaam." in refused.content.decode()
    assert client.post(url, shift | {"officer": "zonder-dienst"}).status_code == 302
    assert OfficerShift.objects.filter(officer__username="zonder-dienst").exists()
