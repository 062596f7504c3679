"""Closed years and back-dated bookings (issue 11, reproduction 4).

A year whose annual report is published, or that a civil servant closed, takes no bookings any
more: its published figures stay true. A back-dated booking is checked against the balance on its
date and on every later day, not only against today's.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from reports import services as reports
from reports.models import AnnualReport
from sroi import selectors, services
from sroi.models import Account, AppendOnlyError, ClosedYear, Entry, Transaction
from tests.accounts.factories import UserFactory

from .factories import ContractFactory, InitiativeFactory, allocate, bookkeeper, funded, make_fund

pytestmark = pytest.mark.django_db


def ledger_rows():
    return (Transaction.objects.count(), Entry.objects.count())


def publish(year: int, django_capture_on_commit_callbacks) -> AnnualReport:
    """Make the report of `year` as the worker does, and check it became the published one."""
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.request_report(year=year, language="nl", actor=None)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE and report.is_current
    return report


# --- Publishing closes the year ----------------------------------------------------------------


def test_a_contribution_dated_in_a_published_year_is_refused_and_changes_nothing(
    client, civil_servant, django_capture_on_commit_callbacks
):
    # given a fund with a contract, and the 2025 report published
    fund = make_fund()
    contract = ContractFactory()
    publish(2025, django_capture_on_commit_callbacks)
    before = ledger_rows()
    # when a civil servant records a contribution dated 2025-03-01
    client.force_login(civil_servant)
    response = client.post(
        f"/sroi/fondsen/{fund.slug}/bijdrage/",
        {"contract": contract.pk, "amount": "100", "date": "2025-03-01"},
    )
    # then the page says the year is closed, and nothing is booked
    assert response.status_code == 200
    assert "Het jaar 2025 is afgesloten" in response.content.decode()
    assert ledger_rows() == before
    # and the same contribution dated in the open year is fine
    response = client.post(
        f"/sroi/fondsen/{fund.slug}/bijdrage/",
        {"contract": contract.pk, "amount": "100", "date": f"{datetime.date.today():%Y-%m-%d}"},
    )
    assert response.status_code == 302
    assert ledger_rows() == (before[0] + 1, before[1] + 2)


def test_publishing_closes_the_year_for_the_system_with_the_report_as_reason(
    django_capture_on_commit_callbacks,
):
    publish(2025, django_capture_on_commit_callbacks)
    closed = ClosedYear.objects.get()
    assert (closed.year, closed.closed_by) == (2025, None)
    assert "2025" in closed.reason


def test_a_report_of_the_current_year_closes_nothing(django_capture_on_commit_callbacks):
    publish(datetime.date.today().year, django_capture_on_commit_callbacks)
    assert not ClosedYear.objects.exists()


# --- Closing by hand ---------------------------------------------------------------------------


def test_a_civil_servant_closes_a_year_on_the_page_and_it_is_recorded(client, civil_servant):
    client.force_login(civil_servant)
    response = client.post(
        "/sroi/jaren-afgesloten/", {"year": "2025", "reason": "Jaarrekening gecontroleerd"}
    )
    assert response.status_code == 302
    closed = ClosedYear.objects.get()
    assert (closed.year, closed.closed_by, closed.reason) == (
        2025,
        civil_servant,
        "Jaarrekening gecontroleerd",
    )
    page = client.get("/sroi/jaren-afgesloten/").content.decode()
    assert "Jaarrekening gecontroleerd" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": str(datetime.date.today().year), "reason": "Te vroeg"}, "year"),
        ({"year": "1999", "reason": "Te oud"}, "year"),
        ({"year": "2025", "reason": ""}, "reason"),
        ({"year": "twintig", "reason": "Geen jaar"}, "year"),
    ],
)
def test_closing_a_year_that_has_not_ended_or_without_reason_is_refused(
    client, civil_servant, data, field
):
    client.force_login(civil_servant)
    response = client.post("/sroi/jaren-afgesloten/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ClosedYear.objects.exists()


def test_closing_twice_keeps_the_first_closing(civil_servant):
    first = services.close_year(year=2024, reason="Eerst", actor=civil_servant)
    again = services.close_year(year=2024, reason="Nog eens", actor=civil_servant)
    assert again == first and ClosedYear.objects.get().reason == "Eerst"


@pytest.mark.parametrize("role", ["administrator", "community_member"])
def test_only_a_civil_servant_or_the_system_closes_a_year(user_for_role, role):
    with pytest.raises(ValidationError):
        services.close_year(year=2024, reason="x", actor=user_for_role(role))
    superuser = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError):
        services.close_year(year=2024, reason="x", actor=superuser)
    assert not ClosedYear.objects.exists()


def test_a_closed_year_never_reopens(civil_servant):
    closed = services.close_year(year=2024, reason="Klaar", actor=civil_servant)
    with pytest.raises(AppendOnlyError):
        closed.delete()
    with pytest.raises(AppendOnlyError):
        ClosedYear.objects.filter(pk=closed.pk).delete()
    with pytest.raises(AppendOnlyError):
        ClosedYear.objects.filter(pk=closed.pk).update(year=2023)
    assert ClosedYear.objects.get().year == 2024


def test_closing_a_year_closes_the_years_before_it(civil_servant):
    # 2024's bookings make up 2025's opening balance: they are final too.
    fund = make_fund()
    services.close_year(year=2025, reason="Klaar", actor=civil_servant)
    with pytest.raises(ValidationError) as raised:
        services.record_other_income(
            fund=fund,
            amount=D("10.00"),
            date=datetime.date(2024, 5, 1),
            description="Gift",
            actor=civil_servant,
        )
    assert "date" in raised.value.message_dict
    assert not Transaction.objects.exists()


# --- Corrections of a closed year --------------------------------------------------------------


def test_a_correction_of_a_closed_year_is_booked_in_the_open_year_and_points_at_it(
    client, civil_servant
):
    # given an income of 2025 and 2025 closed
    fund = funded("100.00")
    original = Transaction.objects.get()
    services.close_year(year=2025, reason="Klaar", actor=civil_servant)
    client.force_login(civil_servant)
    # when it is reversed with a date in 2025, that is refused
    with pytest.raises(ValidationError):
        services.reverse_transaction(
            transaction=original,
            reason="Dubbel",
            actor=civil_servant,
            date=datetime.date(2025, 12, 31),
        )
    # but reversed on the page (dated today) it is booked now, pointing at the original
    response = client.post(
        f"/sroi/transacties/{original.pk}/terugdraaien/",
        {"reason": "Dubbel", "category": "booked_twice"},
    )
    assert response.status_code == 302
    reversal = Transaction.objects.get(reversal_of=original)
    assert reversal.date.year > 2025 and reversal.reason == "Dubbel"
    assert selectors.fund_summary(fund).balance == D("0.00")
    # and the closed year's figures did not change
    assert sum(e.amount for e in Entry.objects.filter(transaction__date__year=2025)) == 0
    assert Entry.objects.filter(transaction=original).count() == 2


# --- Back-dated bookings -----------------------------------------------------------------------


@pytest.fixture
def spent_in_may(db):
    """€ 100 in on 1 May 2025, all of it allocated on 2 May, € 500 more in on 1 June."""
    fund = make_fund()
    initiative = InitiativeFactory()

    def income(amount, day):
        services.record_other_income(
            fund=fund, amount=D(amount), date=day, description="Gemeente", actor=None
        )

    income("100.00", datetime.date(2025, 5, 1))
    allocate(
        fund=fund,
        initiative=initiative,
        amount=D("100.00"),
        purpose="Huur",
        date=datetime.date(2025, 5, 2),
    )
    income("500.00", datetime.date(2025, 6, 1))
    return fund, initiative


def test_a_back_dated_allocation_is_checked_against_the_balance_on_its_date(spent_in_may):
    fund, initiative = spent_in_may
    before = ledger_rows()
    # today € 500 is available, but on 15 May nothing was
    assert selectors.fund_summary(fund).available == D("500.00")
    with pytest.raises(ValidationError) as raised:
        allocate(
            fund=fund,
            initiative=initiative,
            amount=D("300.00"),
            purpose="Later",
            date=datetime.date(2025, 5, 15),
        )
    message = " ".join(raised.value.message_dict["amount"])
    assert "15 mei 2025" in message and "€\xa00,00" in message
    assert ledger_rows() == before
    # dated on 1 June, when the money was there, it is fine
    allocate(
        fund=fund,
        initiative=initiative,
        amount=D("300.00"),
        purpose="Later",
        date=datetime.date(2025, 6, 1),
    )


def test_a_back_dated_outflow_may_not_take_money_a_later_day_needs(civil_servant):
    # € 100 in on 1 March, € 100 allocated on 1 April, € 150 in on 1 May: € 150 available
    # today. Reversing the income with a date of 2 March would leave -€ 100 in April: refused,
    # although today's € 150 covers it.
    fund = make_fund()
    services.record_other_income(
        fund=fund, amount=D("100.00"), date=datetime.date(2025, 3, 1), description="G", actor=None
    )
    income = Transaction.objects.get()
    services.record_other_income(
        fund=fund, amount=D("150.00"), date=datetime.date(2025, 5, 1), description="H", actor=None
    )
    allocate(
        fund=fund,
        initiative=InitiativeFactory(),
        amount=D("100.00"),
        purpose="x",
        date=datetime.date(2025, 4, 1),
    )
    before = ledger_rows()
    with pytest.raises(ValidationError):
        services.reverse_transaction(
            transaction=income, reason="Fout", actor=civil_servant, date=datetime.date(2025, 3, 2)
        )
    assert ledger_rows() == before


def test_a_back_dated_return_before_the_pay_out_is_refused_on_the_page(client, civil_servant):
    # given € 100 paid out on 1 June under an allocation of 1 February
    fund = funded("1000.00")
    allocation = allocate(
        fund=fund,
        initiative=InitiativeFactory(),
        amount=D("400.00"),
        purpose="Huur",
        date=datetime.date(2025, 2, 1),
    )
    services.disburse(
        allocation=allocation,
        amount=D("100.00"),
        date=datetime.date(2025, 6, 1),
        actor=bookkeeper(),
    )
    before = ledger_rows()
    # when a return of € 100 is dated 1 March, before the initiative had the money
    client.force_login(civil_servant)
    response = client.post(
        f"/sroi/toekenningen/{allocation.pk}/terugbetaling/",
        {"amount": "100", "date": "2025-03-01", "description": "Over"},
    )
    # then it is refused with the reason, and nothing is booked
    assert response.status_code == 200
    assert "1 maart 2025" in response.content.decode()
    assert ledger_rows() == before
    initiative = Account.objects.get(kind=Account.Kind.INITIATIVE)
    assert selectors.lowest_balance_from(initiative, datetime.date(2025, 1, 1)) == D("0.00")


def test_lowest_balance_from_a_date_follows_every_later_day(spent_in_may):
    fund, _initiative = spent_in_may
    available = Account.objects.get(fund=fund, kind=Account.Kind.AVAILABLE)
    lowest = selectors.lowest_balance_from
    assert lowest(available, datetime.date(2025, 4, 30)) == D("0.00")
    assert lowest(available, datetime.date(2025, 5, 1)) == D("0.00")  # 100 then 0 on 2 May
    assert lowest(available, datetime.date(2025, 5, 20)) == D("0.00")
    assert lowest(available, datetime.date(2025, 6, 1)) == D("500.00")
    assert lowest(available, datetime.date(2026, 1, 1)) == D("500.00")
