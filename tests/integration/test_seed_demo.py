"""`seed_demo` loads the demo into PostgreSQL, the production stack's database (point 7)."""

import pytest
from django.core.management import call_command

from accounts.models import Area
from governance.models import Proposal
from initiatives.models import Initiative
from reports.models import AnnualReport
from tests.owner import as_the_owner

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _counts() -> dict:
    return {
        "areas": Area.objects.count(),
        "initiatives": Initiative.objects.count(),
        "proposals": Proposal.objects.count(),
        "reports": AnnualReport.objects.count(),
    }


def test_seed_demo_runs_twice_on_postgresql_and_changes_nothing_the_second_time():
    with as_the_owner():  # the demo is the owner's (tests/owner.py)
        call_command("seed_demo", verbosity=0, force=True)
    first = _counts()
    assert first["initiatives"] > 0 and first["proposals"] > 0
    assert AnnualReport.objects.filter(status=AnnualReport.Status.DONE, is_current=True).exists()
    with as_the_owner():
        call_command("seed_demo", verbosity=0, force=True)
    assert _counts() == first
