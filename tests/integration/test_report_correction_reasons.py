"""A reversal's kind of reason (the published one) is part of the booking: written once with it,
like every ledger row, and never changed afterwards, also not by SQL of the application's own role
(insider review 2026-12-05, R5; sroi migration 0013 added the column to a table whose rows the
database keeps append-only). Only a reversal has a kind of reason, and only one from the list."""

import datetime

import pytest
from django.db import IntegrityError

from sroi import services as sroi_services
from sroi.models import Transaction
from tests.integration.sql import refused_as
from tests.sroi.factories import bookkeeper, funded

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_kind_of_reason_is_written_once_with_its_reversal_and_never_changed(app_role):
    fund = funded("1000.00")
    income = Transaction.objects.get(fund=fund)
    reversal = sroi_services.reverse_transaction(
        transaction=income,
        reason="Betaald aan mevrouw J. de Vries, Kraaiennest 12",
        category="booked_twice",
        actor=bookkeeper(),
        date=datetime.date.today(),
    )
    stored = Transaction.objects.values_list("reason_category", "reason").get(pk=reversal.pk)
    assert stored == ("booked_twice", "Betaald aan mevrouw J. de Vries, Kraaiennest 12")
    # the append-only trigger holds for the new column as for the old ones
    for column, value in (("reason_category", "other"), ("reason", "Fout"), ("reason", "")):
        assert "Cannot update or delete" in refused_as(
            app_role,
            f"UPDATE sroi_transaction SET {column} = %s WHERE id = %s",  # noqa: S608 - fixed names
            [value, reversal.pk],
        )
    # a booking that is not a reversal has no kind of reason; a reversal none off the list
    assert "transaction_reason_category_of_reversal" in refused_as(
        app_role,
        "INSERT INTO sroi_transaction (fund_id, kind, date, description, recorded_at, "
        "decision_reference, reason, reason_category) VALUES "
        "(%s, 'other_income', %s, 'x', now(), '', '', 'other')",
        [fund.pk, datetime.date.today()],
        error=IntegrityError,
    )
    assert Transaction.objects.values_list("reason_category", flat=True).get(pk=reversal.pk) == (
        "booked_twice"
    )
