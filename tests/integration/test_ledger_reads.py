"""The ledger's one read door on PostgreSQL: pages, report and open data agree; counts are right."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initiatives.demo import register_last_year
from initiatives.models import Classification
from reports.content import initiatives_content
from reports.snapshot import encode
from tests.accounts.factories import AreaFactory
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import ContractFactory, make_fund
from tests.sroi.test_ledger_agreement import apply, check_agreement, operation

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
D = Decimal


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operation, min_size=5, max_size=25))
def test_pages_report_and_open_data_agree_on_postgresql(steps):
    with transaction.atomic():
        funds = [make_fund("Fonds Noord"), make_fund("Fonds Zuid")]
        contracts = [
            ContractFactory(
                value=D("100000000.00"),
                award_date=datetime(2024, 1, 1).date(),
                start_date=datetime(2024, 1, 1).date(),
            )
            for _ in range(2)
        ]
        initiative = InitiativeFactory()
        allocations = []
        for step in steps:
            apply(
                step,
                funds=funds,
                contracts=contracts,
                initiative=initiative,
                allocations=allocations,
            )
        check_agreement(funds, contracts)
        transaction.set_rollback(True)


def test_back_dated_registrations_count_once_on_postgresql():
    work = Classification.objects.get(scheme="leefgebied", code="werk")
    for _ in range(3):
        register_last_year(InitiativeFactory.build(area=AreaFactory()), [work])
    year = timezone.localdate().year - 1
    content = encode(initiatives_content(year=year, areas=None))
    assert content["total"] == 3
    assert sum(row["count"] for row in content["by_phase"]) == 3
