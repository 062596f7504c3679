"""B1 words on the poll pages residents use most (review 2026-12-06, finding 17): who holds the
keys, what the secret ballot does not protect against, one lock with one mark, the recount
command behind a fold, and the same button on every card for a visitor who is not logged in."""

import re

import pytest

from governance.models import Choice

from .factories import count_poll, poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def keyed(area, community_member, youth_member):
    return poll(areas=[area])


def test_the_ballot_says_who_holds_the_keys_and_what_it_does_not_protect_against(
    client, keyed, community_member
):
    client.force_login(community_member)
    html = client.get(f"/voorstellen/{keyed.pk}/stemmen/").content.decode()
    [notice] = re.findall(r'data-testid="secret-notice">(.*?)</div>', html, re.S)
    assert "Sleutelhouders zijn de leden van het gemeenschapsbestuur met een zetel" in notice
    assert "kunnen de meeste sleutelhouders samen de stemmen openen" in notice
    assert "Wat dit niet kan tegenhouden: iemand die op uw scherm meekijkt" in notice
    assert "Hier beschermt dit niet tegen" not in notice


def test_the_poll_page_speaks_of_one_lock_with_a_mark(client, keyed):
    html = client.get(f"/voorstellen/{keyed.pk}/").content.decode()
    assert "Alle stemmen van deze peiling gaan op hetzelfde slot." in html
    assert "op slot met de sleutel met dit kenmerk" not in html


def test_the_list_of_codes_puts_the_recount_command_behind_a_fold(client, keyed, community_member):
    client.force_login(community_member)
    client.post(f"/voorstellen/{keyed.pk}/stemmen/", {"choice": Choice.FOR})
    count_poll(keyed)
    html = client.get(f"/voorstellen/{keyed.pk}/stembiljetten/").content.decode()
    before, fold = html.split('data-testid="recount-command"')
    assert "manage.py" not in before
    assert "Wilt u zelf tellen? Download de lijst:" in before
    assert (
        "<summary>Voor wie zelf wil natellen met het programma van Burgerkracht</summary>" in fold
    )
    assert "<code>python manage.py recount --file FILE</code>" in fold


def test_a_visitor_not_logged_in_reads_the_same_button_on_a_poll_as_on_a_round(client, keyed):
    html = client.get("/voorstellen/stemmen/").content.decode()
    [card] = re.findall(r'data-testid="open-vote">(.*?)</li>', html, re.S)
    assert "Log in om te stemmen<span" in card
    assert f"/accounts/inloggen/?next=/voorstellen/{keyed.pk}/stemmen/" in card.replace("%2F", "/")
    assert ">Stemmen<span" not in card
