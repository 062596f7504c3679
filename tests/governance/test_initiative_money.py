"""An initiative's public page says what money the community's decisions gave it: the totals,
and per decision the way to the decision and to the fund (it linked nowhere before; only the
fund's page named the initiative)."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from governance.models import Decision
from governance.selectors import money as money_selectors
from sroi import services as sroi_services
from sroi.models import Transaction
from tests.initiatives.factories import InitiativeFactory
from tests.roles import ACCOUNT_ROLES
from tests.sroi.factories import allocate, bookkeeper, funded

pytestmark = pytest.mark.django_db


def _page(client, initiative, language=None) -> str:
    if language:  # the language switch's cookie (the browser's language does not count)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ")  # € and amount: a fixed space


def _two_decisions(initiative):
    fund = funded("20000.00")
    first = allocate(
        fund=fund,
        initiative=initiative,
        amount=Decimal("1500.00"),
        purpose="Buurtwerk",
        date=datetime.date(2025, 3, 1),
    )
    sroi_services.disburse(
        allocation=first,
        amount=Decimal("600.00"),
        date=datetime.date(2025, 3, 2),
        actor=bookkeeper(),
    )
    second = allocate(
        fund=fund,
        initiative=initiative,
        amount=Decimal("250.50"),
        purpose="Buurtwerk",
        date=datetime.date(2025, 4, 1),
    )
    return fund, first, second


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_everybody_sees_the_money_with_the_way_to_each_decision_and_fund(
    client, user_for_role, role
):
    # given an initiative with two carried-out decisions, one partly paid
    initiative = InitiativeFactory()
    fund, first, second = _two_decisions(initiative)
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    # when anyone reads its public page (in Dutch, the site's first language)
    with translation.override("nl"):
        page = _page(client, initiative)
    # then it says the totals and links every decision's proposal and the fund
    assert "De gemeenschap gaf dit initiatief € 1.750,50 uit het fonds." in page
    assert "Daarvan is € 600,00 uitbetaald. Nog uit te betalen: € 1.150,50." in page
    for allocation in (first, second):
        proposal = Decision.objects.get(pk=allocation.decision_id).proposal
        assert f'href="{proposal.get_absolute_url()}">{proposal.title}</a>' in page
    assert page.count(f'href="{fund.get_absolute_url()}"') >= 2


def test_an_initiative_without_money_shows_no_money_panel(client):
    assert 'data-testid="initiative-money"' not in _page(client, InitiativeFactory())


def test_a_cancelled_decision_is_shown_as_such_and_money_released_is_said_to_be_back(client):
    # given: the second decision's booking reversed (cancelled); the first closed after a
    # payment of 600, so the rest went back to the fund
    initiative = InitiativeFactory()
    _fund, first, second = _two_decisions(initiative)
    booking = Transaction.objects.get(allocation=second, kind=Transaction.Kind.ALLOCATION)
    sroi_services.reverse_transaction(
        transaction=booking, reason="Dubbel geboekt", actor=bookkeeper(), date=second.date
    )
    sroi_services.close_allocation(allocation=first, actor=bookkeeper(), date=first.date)
    # then
    money = money_selectors.initiative_money(initiative)
    assert (money.granted, money.paid, money.open, money.back) == (
        Decimal("1500.00"),
        Decimal("600.00"),
        Decimal("0.00"),
        Decimal("900.00"),
    )
    with translation.override("nl"):
        page = _page(client, initiative)
    assert "€ 900,00 ging terug naar het fonds." in page
    assert "<s>€ 250,50</s>" in page and "Geannuleerd" in page


def test_the_page_lists_the_latest_decisions_and_counts_the_rest_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    initiative = InitiativeFactory()
    fund = funded("90000.00")
    for day in range(1, 3):
        allocate(
            fund=fund,
            initiative=initiative,
            amount=Decimal("10.00"),
            purpose="Buurtwerk",
            date=datetime.date(2025, 5, day),
        )
    client.get(initiative.get_absolute_url())  # the cache of the layout warmed
    with django_assert_max_num_queries(12) as few:
        few_page = _page(client, initiative)
    for day in range(3, 3 + money_selectors.SHOWN + 3):
        allocate(
            fund=fund,
            initiative=initiative,
            amount=Decimal("10.00"),
            purpose="Buurtwerk",
            date=datetime.date(2025, 5, day),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        many_page = _page(client, initiative)
    assert 'data-testid="initiative-money-more"' not in few_page
    assert many_page.count('class="utrecht-table__row"><td') == money_selectors.SHOWN
    assert "De bedragen hierboven" in many_page or "The totals above" in many_page
    total = f"€ {10 * (2 + money_selectors.SHOWN + 3)},00"
    assert f"gaf dit initiatief {total}" in many_page or f"this initiative {total}" in many_page


def test_a_grant_paid_in_full_says_so_instead_of_nothing_left_to_pay(client):
    # given one decision of 1,500, paid out in full
    initiative = InitiativeFactory()
    fund = funded("5000.00")
    grant = allocate(
        fund=fund,
        initiative=initiative,
        amount=Decimal("1500.00"),
        purpose="Buurtwerk",
        date=datetime.date(2025, 3, 1),
    )
    sroi_services.disburse(
        allocation=grant,
        amount=Decimal("1500.00"),
        date=datetime.date(2025, 3, 2),
        actor=bookkeeper(),
    )
    # then the page says it is all paid out, with no "still to be paid: € 0,00"
    dutch = _page(client, initiative, language="nl")
    english = _page(client, initiative, language="en")
    assert (
        "De gemeenschap gaf dit initiatief € 1.500,00 uit het fonds. Het is helemaal uitbetaald."
        in dutch
    )
    assert "Nog uit te betalen" not in dutch
    assert "All of it is paid out." in english and "Still to be paid" not in english
