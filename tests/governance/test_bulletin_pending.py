"""Before a poll is counted its list of tracking codes does not exist: each code is inside a sealed
ballot that nobody can open until the trustees unlock the poll (docs/voting-threat-model.md). The
list's address, printed on every receipt and slip, says so to everyone, with when the list comes,
instead of asking for a log-in (finding 14 of docs/reviews/2026-12-06-look.md)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import formats, timezone, translation

from governance import services
from governance.models import Choice
from tests.clock import at_closing
from tests.roles import is_denied

from .factories import adopted, board, count_poll, poll, tracking_code, voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(area, community_member):
    board(community=3, institution=0)
    return poll(areas=[area])


def _closes(proposal) -> str:
    with translation.override("nl"):
        return formats.date_format(timezone.localtime(proposal.closes_at), "DATETIME_FORMAT")


def test_the_address_on_a_receipt_says_when_the_list_comes_not_log_in(
    client, sealed, community_member
):
    # given a vote cast, with its code
    code = services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=community_member)
    # when an anonymous visitor types the address from the receipt (without the closing slash)
    typed = client.get(f"/voorstellen/{sealed.pk}/stembiljetten")
    assert typed.status_code == 301 and typed.url == f"/voorstellen/{sealed.pk}/stembiljetten/"
    response = client.get(typed.url)
    # then the page says the list is not there yet, until when one can vote, and where it comes
    assert response.status_code == 200
    html = response.content.decode()
    assert "De lijst met volgcodes is nog niet gepubliceerd." in html
    assert f"U kunt stemmen tot {_closes(sealed)}." in html
    assert f"/voorstellen/{sealed.pk}/stembiljetten</span>" in html  # the address to come back to
    # and nothing of the ballots: no code, no count, no search
    assert code not in html
    assert 'data-testid="bulletin"' not in html and 'data-testid="code-search"' not in html


def test_while_the_trustees_unlock_it_says_the_votes_are_being_counted(client, sealed):
    with at_closing(sealed.closes_at + timedelta(seconds=1)):
        services.close_voting(actor=None, proposal=sealed)
        html = client.get(f"/voorstellen/{sealed.pk}/stembiljetten/").content.decode()
    assert "De stemming is gesloten. De sleutelhouders maken de stemmen nu open." in html


def test_after_the_count_the_same_address_is_the_list(client, sealed, community_member):
    code = services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=community_member)
    count_poll(sealed)
    response = client.get(f"/voorstellen/{sealed.pk}/stembiljetten/")
    assert response.status_code == 200
    html = response.content.decode()
    assert code in html and 'data-testid="bulletin-pending"' not in html


def test_no_promise_where_no_list_will_come(client, area, sealed, civil_servant):
    # a board's vote has no list of codes; neither has a withdrawn poll
    board_vote = adopted(voting())
    withdrawn = services.withdraw_proposal(proposal=sealed, reason="Dubbel", actor=civil_servant)
    for proposal in (board_vote, withdrawn):
        response = client.get(f"/voorstellen/{proposal.pk}/stembiljetten/")
        assert is_denied("anonymous", response)


def test_the_downloads_stay_refused_before_the_count(client, sealed):
    for suffix in ("stembiljetten.csv", "stembiljetten.json"):
        assert is_denied("anonymous", client.get(f"/voorstellen/{sealed.pk}/{suffix}"))


@pytest.mark.parametrize("hides", [False, True])
def test_the_receipt_says_when_and_where_the_codes_can_be_checked(
    client, area, community_member, hides
):
    # given a poll (its choices published with the codes, or, sensitive, only the codes)
    board(community=3, institution=0)
    proposal = poll(areas=[area], bulletin_hides_choices=hides)
    client.force_login(community_member)
    # when the member votes
    with override_settings(SITE_URL="https://burgerkracht.example.nl"):
        response = client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": Choice.FOR})
    html = response.content.decode()
    assert tracking_code(response)
    # then the receipt says until when voting runs, that the codes come after the count ...
    assert f"De stemming sluit op {_closes(proposal)}. Daarna tellen wij de stemmen." in html
    # ... and links to the list with the closing slash (no redirect), printed as one types it
    bulletin = f"/voorstellen/{proposal.pk}/stembiljetten/"
    assert (
        f'href="{bulletin}">burgerkracht.example.nl/voorstellen/{proposal.pk}/stembiljetten<'
        in (html)
    )
