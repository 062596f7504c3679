"""An officer's own shifts (`/diensten/`): where and when, the polls offered there, and during a
shift the way to its tables; nobody sees another person's shifts."""

import html
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgeting.models import Round
from governance import officing
from governance.models import Location, OfficerShift, TrusteeShare
from notifications.models import Event, Kind
from tests.accounts.factories import UserFactory, verified_in_person
from tests.budgeting.factories import round_in
from tests.governance.factories import board, poll
from tests.roles import ACCOUNT_ROLES

pytestmark = pytest.mark.django_db

URL = "/diensten/"
ROLES = [*ACCOUNT_ROLES, "officer", "trustee"]


@pytest.fixture
def sealed(area, community_member):
    board(community=3, institution=0)
    return poll(areas=[area], title="Peiling speeltuin")


def _home(name, civil_servant, *polls):
    location = officing.create_location(
        name=name, address=f"{name}plein 1", opening_hours="ma-vr 9-17", actor=civil_servant
    )
    for proposal in polls:
        officing.offer_poll_at(proposal=proposal, location=location, actor=civil_servant)
    return location


def _shift(person, location, *, task=OfficerShift.Task.CHECK_IN, hours=(-1, 2)):
    now = timezone.now()
    return officing.add_shift(
        officer=person, location=location, task=task,
        starts_at=now + timedelta(hours=hours[0]), ends_at=now + timedelta(hours=hours[1]),
        appointed_by="Besluit bestuur 7", actor=None,
    )  # fmt: skip


@pytest.fixture
def officer():
    return verified_in_person(UserFactory(username="tafelhulp"))


@dataclass
class Card:
    """One shift's card on the page, read from its HTML."""

    markup: str

    @property
    def state(self) -> str:
        return re.search(r'data-state="(\w+)"', self.markup)[1]

    @property
    def name(self) -> str:
        return _plain(re.search(r"<h2[^>]*>(.*?)<span", self.markup, re.S)[1])

    @property
    def text(self) -> str:
        return _plain(self.markup)

    def part(self, testid: str) -> str:
        found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(ul|dd|p|div)>', self.markup, re.S)
        return _plain(found[1]) if found else ""

    def has(self, testid: str) -> bool:
        return f'data-testid="{testid}"' in self.markup

    @property
    def links(self) -> list[str]:
        tables = re.search(r'data-testid="tables">(.*?)</ul>', self.markup, re.S)
        return re.findall(r'href="([^"]+)"', tables[1]) if tables else []

    @property
    def polls(self) -> list[str]:
        found = re.search(r'data-testid="polls">(.*?)</dd>', self.markup, re.S)
        items = re.findall(r"<li>(.*?)</li>", found[1], re.S) if found else []
        return [_plain(item).split(" (")[0] for item in items]


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _cards(client) -> list[Card]:
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    return [
        Card(chunk.split("</section>")[0]) for chunk in page.split('data-testid="my-shift"')[1:]
    ]


# ---- what the officer sees ----------------------------------------------------------------------


def test_during_a_check_in_shift_the_page_leads_to_the_poll_and_budget_round_tables(
    client, officer, sealed, area, civil_servant, community_member
):
    round = round_in(
        Round.Status.VOTING, area=area, civil_servant=civil_servant, author=community_member
    )
    home = _home("Bijlmer", civil_servant, sealed)
    _shift(officer, home)
    client.force_login(officer)

    [card] = _cards(client)
    assert card.state == "now"
    assert "Peiling speeltuin" in card.text and "Bijlmerplein 1" in card.text
    station = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/"
    paper = f"/begroting/{round.pk}/buurthuis/{home.slug}/"
    assert card.links == [station, paper]
    # The links go where the officer may work now.
    assert client.get(station).status_code == 200
    assert client.get(paper).status_code == 200


def test_a_coming_shift_says_what_it_is_for_but_opens_no_table_yet(
    client, officer, sealed, civil_servant
):
    home = _home("Bijlmer", civil_servant, sealed)
    _shift(officer, home, hours=(24, 28))
    client.force_login(officer)

    [card] = _cards(client)
    assert card.state == "coming"
    assert "Peiling speeltuin" in card.text
    assert card.links == [] and not card.has("no-tables")
    # Its table is refused now, as the page suggests.
    assert client.get(f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/").status_code == 403


def test_a_check_in_shift_lists_the_budget_round_voting_now_among_the_votes_there(
    client, officer, area, civil_servant, community_member
):
    # given a Community Home with no poll, a budget round voting, and two coming shifts there
    round = round_in(
        Round.Status.VOTING, area=area, civil_servant=civil_servant, author=community_member,
        name="Buurtbudget Bijlmer",
    )  # fmt: skip
    home = _home("Bijlmer", civil_servant)
    _shift(officer, home, hours=(24, 28))
    _shift(officer, home, task=OfficerShift.Task.COUNTING, hours=(48, 52))
    client.force_login(officer)
    check_in, counting = _cards(client)
    # then the check-in shift names the round, whose paper ballots come to its table, and does
    # not say that nothing is planned there
    assert "Buurtbudget Bijlmer" in check_in.part("polls")
    assert f'href="{round.get_absolute_url()}"' in check_in.markup
    assert "Hier is nog geen stemming gepland." not in check_in.text
    # ... and the counting shift, which takes no budget round's ballots, does not
    assert not counting.has("round-here")
    assert "Hier is nog geen stemming gepland." in counting.text


def test_a_changed_coming_shift_says_when_and_why_it_changed(client, officer, civil_servant):
    home = _home("Bijlmer", civil_servant)
    coming, past = _shift(officer, home, hours=(24, 28)), _shift(officer, home, hours=(-30, -26))
    officing.change_shift(
        shift=coming, reason="Het buurthuis gaat later open", actor=civil_servant,
        starts_at=coming.starts_at + timedelta(hours=1), ends_at=coming.ends_at, task=coming.task,
    )  # fmt: skip
    OfficerShift.history.bulk_history_create([past], update=True, default_change_reason="Oud")
    client.force_login(officer)

    cards = {card.state: card for card in _cards(client)}
    assert cards["coming"].part("changed").endswith(": Het buurthuis gaat later open")
    assert not cards["past"].has("changed")  # a past shift's story is over


def test_a_counting_shift_leads_to_the_count_once_voting_has_closed(
    client, officer, sealed, civil_servant
):
    home = _home("Bijlmer", civil_servant, sealed)
    _shift(officer, home, task=OfficerShift.Task.COUNTING)
    client.force_login(officer)
    [card] = _cards(client)
    # Voting is still open: nothing to count yet, and the page says so.
    assert card.links == [] and card.has("no-tables")

    with officing_due(sealed):
        client.force_login(officer)  # an hour later: a new session (the idle limit)
        [card] = _cards(client)
        assert card.links == [f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/telling/"]
        count = client.get(card.links[0])
        assert (
            count.status_code == 200 and 'data-testid="crumb-my-shifts"' in count.content.decode()
        )


def officing_due(proposal):
    """The clock just after the poll's closing time: it is due, counting at the Homes."""
    from freezegun import freeze_time

    return freeze_time(proposal.closes_at + timedelta(minutes=1), tick=True)


def test_shifts_come_in_order_now_then_coming_soonest_first_then_past_latest_first(
    client, officer, civil_servant
):
    homes = [_home(name, civil_servant) for name in ("Noord", "Oost", "Zuid", "West", "Centrum")]
    _shift(officer, homes[0], hours=(-30, -26))  # past, earlier
    _shift(officer, homes[1], hours=(50, 54))  # coming, later
    _shift(officer, homes[2], hours=(-1, 1))  # now
    _shift(officer, homes[3], hours=(-6, -2))  # past, latest
    _shift(officer, homes[4], hours=(5, 9))  # coming, soonest
    client.force_login(officer)
    cards = _cards(client)
    assert [(c.name, c.state) for c in cards] == [
        ("Zuid", "now"), ("Centrum", "coming"), ("Oost", "coming"),
        ("West", "past"), ("Noord", "past"),
    ]  # fmt: skip
    # A past shift lists no polls: it needs nothing from the officer any more.
    assert not cards[3].has("polls")


def test_the_page_shows_only_the_officers_own_shifts(client, officer, civil_servant):
    _shift(officer, _home("Mijn huis", civil_servant))
    other = verified_in_person(UserFactory(username="andere-hulp"))
    _shift(other, _home("Ander huis", civil_servant))
    client.force_login(officer)
    names = [card.text for card in _cards(client)]
    assert len(names) == 1 and "Mijn huis" in names[0] and "Ander huis" not in names[0]


def test_a_home_closed_behind_the_services_back_shows_why_and_opens_no_table(
    client, officer, sealed, civil_servant
):
    home = _home("Bijlmer", civil_servant, sealed)
    _shift(officer, home)
    with connection.cursor() as cursor:  # as a DBA could, while the poll runs there
        cursor.execute(
            "UPDATE governance_location SET closed_at = %s, closed_reason = %s WHERE id = %s",
            [timezone.now(), "Waterschade", home.pk],
        )
    client.force_login(officer)
    [card] = _cards(client)
    assert "Waterschade" in card.text and card.has("closed")
    assert card.links == []


def test_without_shifts_the_page_says_so_in_dutch(client, community_member):
    client.force_login(community_member)
    with translation.override("nl"):
        response = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl")
    page = response.content.decode()
    assert _plain(re.search(r"<h1[^>]*>(.*?)</h1>", page)[1]) == "Mijn diensten"
    assert "U hebt geen diensten" in _plain(page.split('data-testid="no-shifts"')[1])


def test_the_page_is_in_dutch_with_the_day_and_times(client, officer, civil_servant):
    home = _home("Bijlmer", civil_servant)
    shift = _shift(officer, home, hours=(26, 27))
    client.force_login(officer)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl")
    when = Card(response.content.decode()).part("when")
    local = timezone.localtime(shift.starts_at)
    with translation.override("nl"):
        from django.utils.dateformat import format as date_format

        day = date_format(local, "l j F Y")
    assert day in when and local.strftime("%H:%M") in when
    assert "Komt nog" in response.content.decode()


def test_many_polls_at_a_home_are_summarised(
    client, officer, area, civil_servant, community_member
):
    board(community=3, institution=0)
    polls = [poll(areas=[area], title=f"Peiling {i:02}") for i in range(12)]
    home = _home("Bijlmer", civil_servant, *polls)
    _shift(officer, home)
    client.force_login(officer)
    [card] = _cards(client)
    assert card.polls == [f"Peiling {i:02}" for i in range(10)]
    assert card.part("more-polls") == "En nog 2 stemmingen."
    assert len(card.links) == 10


def test_the_page_asks_the_same_number_of_queries_for_one_shift_and_for_many(
    client, officer, sealed, civil_servant, area, community_member
):
    round_in(Round.Status.VOTING, area=area, civil_servant=civil_servant, author=community_member)
    client.force_login(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    _shift(officer, _home("Huis 0", civil_servant, sealed))
    one = queries()
    for i in range(1, 30):
        _shift(officer, _home(f"Huis {i}", civil_servant, sealed), hours=(-1 + i, i + 1))
    assert queries() == one <= 12


# ---- who may see it -----------------------------------------------------------------------------


@pytest.fixture
def person_for(user_for_role, sealed, civil_servant):
    def person(role):
        if role == "officer":
            officer = verified_in_person(UserFactory(username="rol-officier"))
            _shift(officer, _home("Rolhuis", civil_servant, sealed))
            return officer
        if role == "trustee":
            return TrusteeShare.objects.filter(proposal=sealed).first().trustee
        return user_for_role(role)

    return person


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, person_for, role, civil_servant, sealed):
    # A shift of someone else: nobody but its officer sees it here.
    other = verified_in_person(UserFactory(username="iemand-anders"))
    _shift(other, _home("Geheim huis", civil_servant, sealed))
    user = person_for(role)
    if user is None:
        response = client.get(URL)
        assert response.status_code == 302 and "/accounts/inloggen/" in response["Location"]
        return
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Geheim huis" not in response.content.decode()
    assert ("Rolhuis" in response.content.decode()) is (role == "officer")
    # A page that only reads: a POST is not allowed, and writes nothing.
    shifts = OfficerShift.objects.count()
    assert client.post(URL).status_code == 405
    assert OfficerShift.objects.count() == shifts


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(page=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30))
def test_any_page_number_gives_a_page(client, officer, civil_servant, page):
    if not Location.objects.exists():
        _shift(officer, _home("Bijlmer", civil_servant))
    client.force_login(officer)
    response = client.get(URL, {"page": page})
    assert response.status_code == 200 and 'data-testid="my-shift"' in response.content.decode()


def test_a_page_number_with_a_control_character_is_refused_in_the_sites_layout(client, officer):
    client.force_login(officer)
    response = client.get(URL, {"page": "1\x00"})
    assert response.status_code == 400 and 'class="bk-main"' in response.content.decode()


# ---- where the officer finds it ----------------------------------------------------------------


def test_the_profile_links_to_the_shifts_only_for_someone_with_shifts(
    client, officer, community_member, civil_servant
):
    _shift(officer, _home("Bijlmer", civil_servant))
    client.force_login(officer)
    assert 'data-testid="my-shifts"' in client.get("/accounts/profiel/").content.decode()
    client.force_login(community_member)
    assert 'data-testid="my-shifts"' not in client.get("/accounts/profiel/").content.decode()


def test_the_notice_of_a_closing_leads_to_the_shifts(client, officer, civil_servant):
    home = _home("Bijlmer", civil_servant)
    _shift(officer, home, hours=(24, 28))
    officing.close_location(location=home, reason="Verbouwing", actor=civil_servant)
    event = Event.objects.get(kind=Kind.LOCATION_CLOSED)
    assert event.url == URL
    client.force_login(officer)
    [card] = _cards(client)
    assert "Verbouwing" in card.text


# ---- the home page after logging in ------------------------------------------------------------


def _home_card(client) -> str:
    page = client.get("/").content.decode()
    if 'data-testid="home-shift"' not in page:
        return ""
    return _plain(page.split('data-testid="home-shift">')[1].split("</section>")[0])


def test_home_shows_an_officer_the_running_shift_and_the_way_to_the_table(
    client, officer, civil_servant
):
    shift = _shift(officer, _home("Bijlmer", civil_servant), hours=(-1, 2))
    _shift(officer, _home("Noord", civil_servant), hours=(30, 33))
    client.force_login(officer)
    card = _home_card(client)
    end = timezone.localtime(shift.ends_at).strftime("%H:%M")
    assert card.startswith("Uw dienst is nu") and f"In Bijlmer, tot {end}." in card
    assert 'href="/diensten/"' in client.get("/").content.decode()


def test_home_shows_the_next_shift_when_none_runs_and_nothing_after_the_last(
    client, officer, civil_servant
):
    _shift(officer, _home("Bijlmer", civil_servant), hours=(-5, -1))
    _shift(officer, _home("Noord", civil_servant), hours=(30, 33))
    _shift(officer, _home("Oost", civil_servant), hours=(60, 63))
    client.force_login(officer)
    card = _home_card(client)
    assert card.startswith("Uw volgende dienst") and "In Noord, vanaf" in card
    OfficerShift.objects.filter(ends_at__gt=timezone.now()).delete()
    assert _home_card(client) == ""


def test_home_shows_no_shift_to_someone_without_one_or_to_a_visitor(
    client, officer, civil_servant, community_member
):
    _shift(officer, _home("Bijlmer", civil_servant))
    assert _home_card(client) == ""  # a visitor, and the cached page stays without it
    client.force_login(community_member)
    assert _home_card(client) == ""
    client.force_login(officer)
    assert _home_card(client) != ""
    client.logout()
    assert _home_card(client) == ""


def test_the_tables_lead_back_to_the_shifts(client, officer, sealed, civil_servant):
    home = _home("Bijlmer", civil_servant, sealed)
    _shift(officer, home)
    client.force_login(officer)
    station = client.get(f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/").content.decode()
    assert 'data-testid="crumb-my-shifts"' in station and 'href="/diensten/"' in station
