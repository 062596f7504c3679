import datetime
from decimal import Decimal

import pytest

from sroi import services
from sroi.models import TargetGroup

from .factories import ContractFactory, InitiativeFactory, allocate, block, bookkeeper, funded


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded evidence goes to a temporary folder, never the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scenario(db, area):
    """A contract with a claimed realisation, a funded fund with an allocation and a tranche."""
    contract = ContractFactory(reference="AMS-1", title="Bouw museum")
    realisation = services.claim_realisation(
        contract=contract,
        block=block("ww"),
        target_group=TargetGroup.UNEMPLOYMENT,
        person_reference="GEHEIM-007",
        start_date=datetime.date(2025, 2, 1),
        months=Decimal("6"),
        hours_per_week=Decimal("36"),
        actor=None,
    )
    fund = funded("1000.00")
    initiative = InitiativeFactory(name="Buurtkeuken", slug="buurtkeuken", area=area)
    allocation = allocate(
        fund=fund,
        initiative=initiative,
        amount=Decimal("400.00"),
        purpose="Keuken",
        decision_reference="GB-1",
        date=datetime.date(2025, 2, 1),
        actor=bookkeeper(),
    )
    services.disburse(
        allocation=allocation,
        amount=Decimal("100.00"),
        date=datetime.date(2025, 2, 2),
        actor=bookkeeper(),
    )
    return {
        "contract": contract,
        "realisation": realisation,
        "fund": fund,
        "initiative": initiative,
        "allocation": allocation,
    }
