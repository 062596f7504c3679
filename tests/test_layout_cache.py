"""The header, the footer and the session warning are rendered once per kind of visitor and
kept (common/frames.py, config/layout.py). What they show must still follow whoever asks: their
role, their language, the section they are in and the to-do count."""

import re

import pytest
from django.test import Client

from common import frames
from tests.roles import ACCOUNT_ROLES

pytestmark = pytest.mark.django_db

STAFF_LINKS = ('href="/intake/"', 'data-testid="todo-link"')


@pytest.fixture(autouse=True)
def no_kept_frames():
    frames.forget()
    yield
    frames.forget()


def page(user=None, url="/voorstellen/", language="nl", status=200) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert status is None or response.status_code == status
    return response.content.decode()


def nav(html: str) -> str:
    return html[html.index('<nav class="utrecht-nav-bar') : html.index("</nav>")]


def test_a_member_after_a_civil_servant_sees_no_staff_links(civil_servant, community_member):
    # given a civil servant saw the menu of this section first
    staff_nav = nav(page(civil_servant))
    assert all(link in staff_nav for link in STAFF_LINKS)
    # when a member opens a page of the same section, then their menu has no staff links
    member_nav = nav(page(community_member))
    assert not any(link in member_nav for link in STAFF_LINKS)
    # and the other way round: the civil servant still gets theirs
    assert all(link in nav(page(civil_servant)) for link in STAFF_LINKS)


def test_the_menu_and_footer_follow_the_language(community_member):
    dutch = page(community_member, language="nl")
    english = page(community_member, language="en")
    assert ">Voorstellen<" in nav(dutch) and ">Proposals<" in nav(english)
    assert "Toegankelijkheidsverklaring" in dutch and "Accessibility statement" in english


def test_the_current_section_is_marked_on_each_page(community_member):
    for url, label in (("/voorstellen/", "Voorstellen"), ("/initiatieven/", "Initiatieven")):
        menu = nav(page(community_member, url=url))
        current = menu[: menu.index(f">{label}<")].rsplit("<a ", 1)[1]
        assert 'aria-current="page"' in current, url
        assert menu.count('aria-current="page"') == 1, url


def test_a_new_to_do_count_shows_at_once(civil_servant, monkeypatch):
    monkeypatch.setattr("config.context_processors.todo_count", lambda user: 3)
    assert 'data-testid="todo-count">3<' in page(civil_servant)
    monkeypatch.setattr("config.context_processors.todo_count", lambda user: 4)
    assert 'data-testid="todo-count">4<' in page(civil_servant)


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'(nonce="|"inlineScriptNonce": ")[^"]*"', "", html)


@pytest.mark.parametrize("url", ["/", "/voorstellen/", "/sroi/", "/accounts/profiel/"])
def test_every_role_sees_the_same_layout_whoever_came_before(user_for_role, url):
    # given each role's page rendered with nothing kept
    fresh = {}
    for role in ACCOUNT_ROLES:
        frames.forget()
        fresh[role] = _without_tokens(page(user_for_role(role), url=url, status=None))
    # when every role asks again after every other role, then each sees what it saw first
    for before in ACCOUNT_ROLES:
        for role in ACCOUNT_ROLES:
            frames.forget()
            page(user_for_role(before), url=url, status=None)
            assert _without_tokens(page(user_for_role(role), url=url, status=None)) == fresh[role]
