"""The home page and the vote page: what a first visitor needs, in a fixed number of queries."""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common.community_home import DEMO_COMMUNITY_HOME
from governance import tally
from governance.models import Choice, Decision, ElectorateEntry, Proposal
from governance.officing.demo import LOCATION
from reports.models import AnnualReport
from sroi import selectors as sroi_selectors
from sroi.formatting import format_money
from tests.accounts.factories import AreaFactory, UserFactory
from tests.governance.factories import board, decided, poll, voting
from tests.roles import ACCOUNT_ROLES, login_as
from tests.sroi.factories import funded, make_fund
from tests.sroi.test_queries import make_contracts

pytestmark = pytest.mark.django_db


def make_open_votes(count: int, body, voter) -> None:
    """`count` board votes open now, with `voter` on each roll, and as many decisions."""
    now = timezone.now()
    Proposal.objects.bulk_create(
        Proposal(
            title=f"Open stemming {i:04}",
            text="t",
            body=body,
            status=Proposal.Status.VOTING,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1, minutes=i),
        )
        for i in range(count)
    )
    ElectorateEntry.objects.bulk_create(
        ElectorateEntry(proposal=proposal, user=voter, side="community")
        for proposal in Proposal.objects.filter(title__startswith="Open stemming")
    )
    Proposal.objects.bulk_create(
        Proposal(
            title=f"Besloten {i:04}",
            text="t",
            body=body,
            status=Proposal.Status.REJECTED,
            opens_at=now - timedelta(days=9),
            closes_at=now - timedelta(days=2),
        )
        for i in range(count)
    )
    # bulk_create skips `Decision.save`, which numbers a decision on SQLite: the numbers given
    Decision.objects.bulk_create(
        Decision(proposal=proposal, outcome=tally.REJECTED, tally={}, year=now.year, number=number)
        for number, proposal in enumerate(
            Proposal.objects.filter(title__startswith="Besloten").order_by("pk"), start=1
        )
    )


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_everyone_sees_the_home_page_and_the_vote_page(client, user_for_role, role):
    login_as(client, user_for_role(role))
    assert client.get("/").status_code == 200
    response = client.get(reverse("governance:open_votes"))
    assert response.status_code == 200


def test_home_shows_the_fund_figures_of_the_fund_overview(client):
    fund = funded("1234.50", fund=make_fund("Ander fonds"))
    make_contracts(3)  # another fund with contributions this year
    summary = sroi_selectors.fund_summary(None)
    assert fund and summary.balance > 0
    html = client.get("/").content.decode()
    for testid, amount in (
        ("home-balance", summary.balance),
        ("home-inflow", summary.inflow_this_year),
        ("home-outflow", summary.outflow_this_year),
    ):
        assert f'data-testid="{testid}">{format_money(amount)}<' in html, testid
    # The same figure as on the public fund overview.
    assert format_money(summary.balance) in client.get("/sroi/").content.decode()


def test_home_lists_open_votes_with_a_button_the_latest_decision_and_report(
    client, community_member
):
    body, voters = board(members=[community_member], community=2, institution=1)
    open_vote = voting(body=body, title="Speeltuin aan de Gooiseweg")
    closed = decided(
        voting(body=body, title="Bankjes in het park"),
        dict.fromkeys(voters["community"], Choice.FOR),
    )
    AnnualReport.objects.create(
        year=2025,
        language="nl",
        version=1,
        status=AnnualReport.Status.DONE,
        is_current=True,
        sha256="a" * 64,
    )
    client.force_login(community_member)
    html = client.get("/").content.decode()
    assert "Speeltuin aan de Gooiseweg" in html
    assert reverse("governance:vote", args=[open_vote.pk]) in html
    assert "Bankjes in het park" in html and closed.decision.get_outcome_display() in html
    assert reverse("reports:year", args=[2025]) in html


def test_home_says_where_to_get_help_from_the_settings(client, settings):
    settings.COMMUNITY_HOME_NAME = "Huis van de Wijk Ganzenhoef"
    settings.COMMUNITY_HOME_ADDRESS = "Kraaiennest 1, 1104 CA Amsterdam"
    settings.COMMUNITY_HOME_HOURS = "dinsdag 10:00–12:00"
    html = client.get("/").content.decode()
    for text in ("Huis van de Wijk Ganzenhoef", "Kraaiennest 1, 1104 CA Amsterdam", "dinsdag"):
        assert text in html
    settings.COMMUNITY_HOME_NAME = ""
    html = client.get("/").content.decode()
    assert "Ganzenhoef" not in html and settings.MUNICIPALITY_NAME in html


def _help_block(client) -> str:
    html = client.get("/").content.decode()
    start = html.index('data-testid="home-help"')
    return html[start : html.index("</section>", start)]


def test_under_make_run_the_help_block_names_the_demos_community_home(client, settings):
    """Look review 2026-12-06, 15: the demo's help block named a placeholder ("Huis van de Wijk,
    Voorbeeldplein 1") while its story is about Community Home Bijlmer."""
    # the settings' defaults with DEBUG on (`make run`), read in a fresh interpreter
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("COMMUNITY_HOME", "MUNICIPALITY"))
    }
    code = (
        "import json; from config import settings as s; print(json.dumps([s.COMMUNITY_HOME_NAME, "
        "s.COMMUNITY_HOME_ADDRESS, s.COMMUNITY_HOME_HOURS, s.COMMUNITY_HOME_HOURS_EN, s.MUNICIPALITY_PHONE]))"
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env={**env, "DEBUG": "1"}, capture_output=True, check=True
    ).stdout
    name, address, hours, hours_en, phone = json.loads(output.splitlines()[-1])
    assert (name, address, hours, hours_en) == (
        DEMO_COMMUNITY_HOME["name"],
        DEMO_COMMUNITY_HOME["address"],
        DEMO_COMMUNITY_HOME["hours"],
        DEMO_COMMUNITY_HOME["hours_en"],
    )
    assert name == LOCATION == "Community Home Bijlmer"  # the demo's poll and paper ballots
    # the home page with those settings
    settings.COMMUNITY_HOME_NAME, settings.COMMUNITY_HOME_ADDRESS = name, address
    settings.COMMUNITY_HOME_HOURS, settings.MUNICIPALITY_PHONE = hours, phone
    block = _help_block(client)
    for text in (name, address, hours, "Kom langs"):
        assert text in block, text
    assert "Voorbeeld" not in block
    assert 'Liever bellen? Bel Gemeente Amsterdam: <a class="utrecht-link' in block
    assert 'href="tel:14020" data-testid="help-municipality-phone">14 020</a>' in block


def test_the_help_block_shows_the_configured_phone_and_without_a_home_the_municipalitys(
    client, settings
):
    settings.COMMUNITY_HOME_NAME = "Huis van de Wijk Ganzenhoef"
    settings.COMMUNITY_HOME_ADDRESS = "Kraaiennest 1, 1104 CA Amsterdam"
    settings.COMMUNITY_HOME_HOURS = "dinsdag 10:00–12:00"
    settings.COMMUNITY_HOME_PHONE = "020 252 00 00"
    settings.MUNICIPALITY_PHONE = ""
    block = _help_block(client)
    assert 'Telefoon: <a class="utrecht-link utrecht-link--html-a" href="tel:0202520000"' in block
    assert "020 252 00 00" in block and "Liever bellen" not in block
    # production without a Community Home: the municipality's general number, to call
    settings.COMMUNITY_HOME_NAME = ""
    settings.MUNICIPALITY_PHONE = "14 020"
    block = _help_block(client)
    assert "Ganzenhoef" not in block and "Kraaiennest" not in block
    assert "Bel Gemeente Amsterdam:" in block and 'href="tel:14020"' in block
    # and without that number either: still the municipality's name (check warns, W007)
    settings.MUNICIPALITY_PHONE = ""
    block = _help_block(client)
    assert "Vraag het aan Gemeente Amsterdam." in block and "tel:" not in block


def test_the_opening_hours_are_in_the_pages_language(client, settings):
    settings.COMMUNITY_HOME_NAME = "Huis van de Wijk Ganzenhoef"
    settings.COMMUNITY_HOME_HOURS = "dinsdag 10:00–12:00"
    settings.COMMUNITY_HOME_HOURS_EN = "Tuesday 10:00–12:00"
    html = client.get("/").content.decode()
    assert "Open: dinsdag 10:00–12:00" in html and "Tuesday" not in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Open: Tuesday 10:00–12:00" in html and "dinsdag" not in html
    settings.COMMUNITY_HOME_HOURS_EN = ""  # not given in English: the Dutch hours, not nothing
    assert "Open: dinsdag 10:00–12:00" in client.get("/").content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_home_query_count_is_constant(
    client, community_member, count, django_assert_max_num_queries
):
    make_contracts(count)
    body, _voters = board(members=[community_member], community=2, institution=1)
    make_open_votes(count, body, community_member)
    for year in range(2000, 2000 + min(count, 50)):
        AnnualReport.objects.create(
            year=year,
            language="nl",
            version=1,
            status=AnnualReport.Status.DONE,
            is_current=True,
            sha256="a" * 64,
        )
    with django_assert_max_num_queries(14):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="open-vote"') == 5
    client.force_login(community_member)
    with django_assert_max_num_queries(18):
        response = client.get("/")
    assert response.content.decode().count('data-testid="open-vote"') == 5
    assert "Besloten" in response.content.decode()


def test_the_vote_page_lists_only_votes_the_person_can_cast(client, civil_servant):
    # given: a member on the roll of one board vote and of one poll, and another vote
    area = AreaFactory(slug="zuidoost-test")
    member = UserFactory(username="stemmer")
    from accounts import services as account_services

    account_services.verify_member(user=member, area=area, actor=civil_servant)
    body, _ = board(members=[member], community=2, institution=1)
    mine = voting(body=body, title="Mijn bestuur stemt")
    my_poll = poll(areas=[area], title="Peiling in mijn wijk")
    other = voting(title="Een ander bestuur")
    # when / then: the member sees their two votes, not the other one
    client.force_login(member)
    html = client.get(reverse("governance:open_votes")).content.decode()
    assert mine.title in html and my_poll.title in html and other.title not in html
    # after casting the secret ballot the poll is no longer listed to vote in, but as a vote
    # they cast and can still change (it is open)
    client.post(reverse("governance:vote", args=[my_poll.pk]), {"choice": Choice.FOR})
    html = client.get(reverse("governance:open_votes")).content.decode()
    cards = html.split('data-testid="open-votes"')[1].split("</ul>")[0]
    assert my_poll.title not in cards and mine.title in cards
    voted = html.split('data-testid="voted-votes"')[1].split("</div>")[0]
    assert my_poll.title in voted and "U kunt uw stem nog veranderen" in voted
    assert reverse("governance:vote", args=[my_poll.pk]) in voted
    # anonymous sees every open vote
    client.logout()
    html = client.get(reverse("governance:open_votes")).content.decode()
    assert all(p.title in html for p in (mine, my_poll, other))


def test_the_menu_has_vote_and_open_data_is_linked(client):
    fund = funded("10.00")
    html = client.get("/").content.decode()
    assert f'href="{reverse("governance:open_votes")}"' in html
    assert ">Stemmen<" in html
    for url in ("/", "/sroi/", fund.get_absolute_url(), "/rapporten/"):
        assert 'href="/open-data/"' in client.get(url).content.decode(), url


def test_the_all_open_votes_link_lists_the_open_votes(client, community_member):
    # The link's status value is the stored one (it kept an old Dutch value after the rename).
    body, _ = board(members=[community_member], community=2, institution=1)
    make_open_votes(1, body, community_member)
    client.force_login(community_member)
    html = client.get(reverse("governance:open_votes")).content.decode()
    link = re.search(r'href="(/voorstellen/\?status=[^"]+)"', html).group(1)
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Open stemming 0000" in listed
    assert "Besloten 0000" not in listed


def test_a_member_who_voted_in_the_only_open_poll_is_not_told_that_nothing_is_open(
    client, civil_servant
):
    # given a member on the roll of one open poll only, who voted in it
    area = AreaFactory(slug="zuidoost-test")
    member = UserFactory(username="stemmer")
    from accounts import services as account_services

    account_services.verify_member(user=member, area=area, actor=civil_servant)
    my_poll = poll(areas=[area], title="Peiling in mijn wijk")
    client.force_login(member)
    client.post(reverse("governance:vote", args=[my_poll.pk]), {"choice": Choice.FOR})
    for url in (reverse("governance:open_votes"), "/"):
        html = client.get(url).content.decode()
        # then neither page says both "open for you" and "nothing open for you"
        assert 'data-testid="no-open-votes"' not in html, url
        assert "Er is nu geen stemming open voor u." not in html, url
        assert "Deze stemmingen zijn nu open. U mag hierin stemmen." not in html, url
        # but that they voted, and can change their vote until it closes
        assert 'data-testid="voted-votes"' in html and my_poll.title in html, url
    # and once the poll closed, it is not offered any more
    my_poll.status = Proposal.Status.COUNTING
    my_poll.save(update_fields=["status"])
    html = client.get(reverse("governance:open_votes")).content.decode()
    assert 'data-testid="voted-votes"' not in html
    assert 'data-testid="no-open-votes"' in html


def test_home_counts_initiatives_decisions_areas_and_verified_members_in_one_query(client):
    # given 3 initiatives, 2 decisions, and 3 members verified of whom one revoked
    from accounts import services as account_services
    from accounts.models import Area, MemberVerification, Role
    from tests.accounts.factories import verified_in_person
    from tests.initiatives.factories import InitiativeFactory

    InitiativeFactory.create_batch(3)
    body, _voters = board(community=2, institution=1)
    make_open_votes(2, body, UserFactory())
    members = [verified_in_person() for _ in range(3)]
    account_services.revoke_verification(
        verification=MemberVerification.objects.get(user=members[0]),
        actor=UserFactory(roles=[Role.CIVIL_SERVANT]),
        reason="Verhuisd",
    )
    expected = {
        "initiative-count": 3,
        "decision-count": Decision.objects.count(),
        "area-count": Area.objects.count(),
        "member-count": MemberVerification.objects.filter(revoked_at__isnull=True).count(),
    }
    assert expected["decision-count"] == 2 and expected["member-count"] >= 2
    # when anyone opens the home page
    html = client.get("/").content.decode()
    # then the figures are those counts, and the first two link to the register and the list
    for testid, number in expected.items():
        assert f'data-testid="{testid}">{number}<' in html, testid
    assert f'href="{reverse("initiatives:register")}">Initiatieven in het register<' in html
    assert f'href="{reverse("governance:list")}">Genomen besluiten<' in html


def test_home_figures_are_one_query(django_assert_num_queries):
    from config.views import home_figures

    with django_assert_num_queries(1):
        figures = home_figures()
    assert figures == {
        "area_count": 0,
        "member_count": 0,
        "initiative_count": 0,
        "decision_count": 0,
    }
