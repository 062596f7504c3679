"""Contracts behind schedule on PostgreSQL: its day numbers (date − date), ROUND on numeric and
its collation of references select and order exactly what `valuation.progress` says."""

import pytest

from tests.sroi.test_behind import check_table

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_database_selects_and_orders_exactly_what_progress_calls_behind_on_postgresql():
    check_table()
