"""Issue 16 on the Community Home pages: the offer form suggests only locations without the
poll (a typed name, not a list of every location) and refuses one that has it in words; a
location's polls are paged with their own page parameter, beside the shifts' pages."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.models import Location, PollOffering
from tests.query_counts import community
from tests.roles import ACCOUNT_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(area, user_for_role):
    return {"area": area} | {role: user_for_role(role) for role in ACCOUNT_ROLES}


def _link(html: str, rel: str, label: str) -> str:
    """The `rel` link of the paging whose aria-label is `label` ("" when there is none)."""
    nav = re.search(
        rf'<nav class="utrecht-pagination" aria-label="{label}">(.*?)</nav>', html, re.S
    )
    found = nav and re.search(rf'rel="{rel}" href="([^"]+)"', nav.group(1))
    return found.group(1).replace("&amp;", "&") if found else ""


def _suggestions(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" data-testid="suggestion">', html)


# ---- a location's polls ----------------------------------------------------------------------


def test_ten_polls_of_a_location_fit_on_one_page(client, ctx, civil_servant):
    url = community.location(10, ctx)
    client.force_login(civil_servant)
    html = client.get(url).content.decode()
    assert html.count('data-testid="poll"') == 10
    assert 'aria-label="Pagina\'s met stemmingen"' not in html


def test_sixty_polls_are_paged_and_each_list_keeps_the_page_of_the_other(
    client, ctx, civil_servant
):
    url = community.location(60, ctx)  # 60 shifts and 60 polls
    client.force_login(civil_servant)
    first = client.get(url, {"page": 2}).content.decode()  # the shifts' second page
    assert first.count('data-testid="poll"') == 50
    assert first.count('data-testid="shift"') == 10
    polls_next = _link(first, "next", "Pagina's met stemmingen")
    assert polls_next == "?page=2&stemmingen=2#stemmingen"

    second = client.get(url + polls_next.split("#")[0])
    html = second.content.decode()
    assert second.context["polls_page"].number == 2
    assert second.context["page"].number == 2  # the shifts stayed on their page
    assert html.count('data-testid="poll"') == 10
    assert html.count('data-testid="shift"') == 10
    # the shifts' link back keeps the polls' page
    assert _link(html, "prev", "Pagina's met diensten") == "?page=1&stemmingen=2#diensten"
    assert _link(html, "prev", "Pagina's met stemmingen") == "?page=2&stemmingen=1#stemmingen"


def test_the_polls_of_a_location_are_newest_first(client, ctx, civil_servant):
    url = community.location(3, ctx)
    client.force_login(civil_servant)
    titles = [o.proposal.title for o in client.get(url).context["offerings"]]
    assert titles == ["Peiling 3-0002", "Peiling 3-0001", "Peiling 3-0000"]


# ---- the offer form --------------------------------------------------------------------------


def test_the_form_suggests_only_locations_without_the_poll_by_name(client, ctx, civil_servant):
    url = community.offer(10, ctx)  # the first 5 of 10 locations offer the poll
    client.force_login(civil_servant)
    html = client.get(url).content.decode()
    assert _suggestions(html) == [f"Buurthuis 10-{i:04}" for i in range(5, 10)]
    field = re.search(r'<(input|select)[^>]*name="location"[^>]*>', html).group(0)
    assert field.startswith("<input") and 'list="offer-locations"' in field  # typed, no list
    assert "5 locaties bieden deze stemming nog niet aan." in html


def test_many_locations_give_a_short_list_and_a_search(client, ctx, civil_servant):
    url = community.offer(120, ctx)  # 60 of 120 locations are left
    client.force_login(civil_servant)
    html = client.get(url).content.decode()
    assert _suggestions(html) == [f"Buurthuis 120-{i:04}" for i in range(60, 85)]
    assert "De lijst toont de eerste 25 locaties zonder deze stemming." in html
    found = _suggestions(client.get(url, {"zoek": "120-011"}).content.decode())
    assert found == [f"Buurthuis 120-{i:04}" for i in range(110, 120)]
    offered = client.get(url, {"zoek": "120-0001"}).content.decode()  # offered already
    assert _suggestions(offered) == []
    assert "Er is geen locatie met deze naam die deze stemming nog niet aanbiedt." in offered


def test_a_typed_name_offers_the_poll(client, ctx, civil_servant):
    url = community.offer(10, ctx)
    client.force_login(civil_servant)
    response = client.post(url, {"location": "  buurthuis 10-0007 "})
    assert response.status_code == 302
    assert PollOffering.objects.filter(location__name="Buurthuis 10-0007").exists()
    assert "Buurthuis 10-0007" not in _suggestions(client.get(url).content.decode())


def test_an_offered_location_is_refused_in_words(client, ctx, civil_servant):
    url = community.offer(10, ctx)
    client.force_login(civil_servant)
    before = PollOffering.objects.count()
    response = client.post(url, {"location": "Buurthuis 10-0002"})
    assert response.status_code == 400
    assert (
        "Deze stemming wordt al aangeboden bij Buurthuis 10-0002. Kies een andere locatie."
        in response.content.decode()
    )
    unknown = client.post(url, {"location": "Buurthuis Nergens"})
    assert unknown.status_code == 400
    assert "Er is geen locatie met deze naam." in unknown.content.decode()
    assert PollOffering.objects.count() == before


def test_when_every_location_offers_the_poll_the_page_says_so(client, ctx, civil_servant):
    url = community.offer(2, ctx)
    PollOffering.objects.get_or_create(
        proposal=PollOffering.objects.first().proposal, location=Location.objects.last()
    )
    client.force_login(civil_servant)
    html = client.get(url).content.decode()
    assert _suggestions(html) == []
    assert "Deze stemming wordt op alle locaties aangeboden." in html


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    value=st.one_of(
        st.text(max_size=300),
        st.sampled_from(["", " ", "\x00", "1", "-1", "Buurthuis 4-0000", "%", "_", "' OR 1=1"]),
    ),
    search=st.text(max_size=200),
)
def test_no_value_gives_a_server_error(client, ctx, civil_servant, value, search):
    url = community.offer(4, ctx) if not Location.objects.exists() else _offer_url()
    client.force_login(civil_servant)
    posted = client.post(url, {"location": value})
    assert posted.status_code in (302, 400)  # 400: refused on the form (or a NUL character)
    assert client.get(url, {"zoek": search}).status_code < 500


def _offer_url() -> str:
    return f"/voorstellen/{PollOffering.objects.first().proposal_id}/locaties/"
