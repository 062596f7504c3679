"""The staff pages of bodies and decision rules page their lists (issue 16): a page of seats, of
rules and of changes is rendered, whatever their number, and a page link keeps the rest of the
query string (the other list's page)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.bodies.views import CHANGE_PAGE_SIZE, RULE_PAGE_SIZE, SEAT_PAGE_SIZE
from governance.models import Body, DecisionRule, Seat, Side
from tests.accounts.factories import UserFactory
from tests.query_counts.base import MAX_QUERIES

from .factories import DecisionRuleFactory

pytestmark = pytest.mark.django_db


def _body(seats: int, *, history: bool = False) -> Body:
    """A board with `seats` community seats held since 2020; `history`: saved one by one, so each
    seat has its audit record (a change on the page's history)."""
    body = Body.objects.create(name="Buurtraad", slug="buurtraad", kind=Body.Kind.BOARD,
                               decision_rule=DecisionRuleFactory())  # fmt: skip
    made = [
        Seat(body=body, user=UserFactory(username=f"zetel-{i:03}"), side=Side.COMMUNITY,
             starts_on=date(2020, 1, 1) + timedelta(days=i))
        for i in range(seats)
    ]  # fmt: skip
    if history:
        for seat in made:
            seat.save()
    else:
        Seat.objects.bulk_create(made)
    return body


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, len(queries)


def test_a_body_with_ten_seats_shows_them_all_on_one_page(client, civil_servant):
    body = _body(10)
    client.force_login(civil_servant)
    response, _n = _get(client, f"/voorstellen/organen/{body.pk}/")
    assert len(response.context["seat_page"]) == 10
    assert 'rel="next"' not in response.content.decode()


def test_a_body_pages_its_seats_and_its_history_apart(client, civil_servant):
    body = _body(SEAT_PAGE_SIZE + 5, history=True)
    client.force_login(civil_servant)
    url = f"/voorstellen/organen/{body.pk}/"
    client.get(url)  # warm the caches
    first, first_queries = _get(client, url)
    html = first.content.decode()
    assert len(first.context["seat_page"]) == SEAT_PAGE_SIZE
    assert html.count('data-testid="seat"') == SEAT_PAGE_SIZE
    assert html.count('data-testid="change"') == CHANGE_PAGE_SIZE  # the body and 30 seats
    assert 'href="?zetels=2#zetels"' in html and 'href="?geschiedenis=2#geschiedenis"' in html
    # the next page of seats keeps the page of the history, and the other way round
    second, second_queries = _get(client, url, {"zetels": 2, "geschiedenis": 2})
    html = second.content.decode()
    assert html.count('data-testid="seat"') == 5
    assert html.count('data-testid="change"') == 6  # 31 changes: 25 + 6
    assert 'href="?zetels=1&amp;geschiedenis=2#zetels"' in html
    assert 'href="?zetels=2&amp;geschiedenis=1#geschiedenis"' in html
    # a page of changes reads the records of the kinds on it (body, seat): one query each
    assert first_queries <= second_queries <= first_queries + 1 <= MAX_QUERIES
    # the oldest change (the body's creation) is the last row of the last page
    assert second.context["change_page"][-1].what == "Buurtraad"


def test_a_body_shows_its_current_seats_first(client, civil_servant):
    body = _body(0)
    today = timezone.localdate()
    ended = Seat.objects.create(body=body, user=UserFactory(username="oud-lid"),
                                side=Side.COMMUNITY, starts_on=today - timedelta(days=30),
                                ends_on=today - timedelta(days=1))  # fmt: skip
    future = Seat.objects.create(body=body, user=UserFactory(username="nieuw-lid"),
                                 side=Side.COMMUNITY, starts_on=today + timedelta(days=9))  # fmt: skip
    held = Seat.objects.create(body=body, user=UserFactory(username="lid-nu"),
                               side=Side.INSTITUTION, starts_on=today - timedelta(days=400))  # fmt: skip
    client.force_login(civil_servant)
    response, _n = _get(client, f"/voorstellen/organen/{body.pk}/")
    assert list(response.context["seat_page"]) == [held, future, ended]


def test_the_decision_rules_are_paged_with_their_history(client, civil_servant):
    for i in range(RULE_PAGE_SIZE + 3):
        DecisionRule.objects.create(name=f"Regel {i:03}", min_discussion_days=0)
    client.force_login(civil_servant)
    url = "/voorstellen/organen/regels/"
    client.get(url)
    first, first_queries = _get(client, url)
    html = first.content.decode()
    assert html.count('data-testid="rule"') == RULE_PAGE_SIZE
    assert html.count('data-testid="change"') == CHANGE_PAGE_SIZE
    names = [rule.name for rule in first.context["rule_page"]]
    assert names[0] == "Regel 000" and names[-1] == "Regel 024"
    assert 'href="?regels=2#regels"' in html
    second, second_queries = _get(client, url, {"regels": 2, "geschiedenis": 2})
    html = second.content.decode()
    assert html.count('data-testid="rule"') == 3
    assert [rule.name for rule in second.context["rule_page"]][-1] == "Regel 027"
    assert html.count('data-testid="change"') == 3
    assert 'href="?regels=1&amp;geschiedenis=2#regels"' in html
    assert first_queries == second_queries <= MAX_QUERIES


def test_ten_decision_rules_are_one_page(client, civil_servant):
    for i in range(10):
        DecisionRule.objects.create(name=f"Regel {i:03}", min_discussion_days=0)
    client.force_login(civil_servant)
    response, _n = _get(client, "/voorstellen/organen/regels/")
    html = response.content.decode()
    assert html.count('data-testid="rule"') == 10 and 'rel="next"' not in html
