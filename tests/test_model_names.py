"""The names the admin and its history give a ledger transaction, a batch of codes, an intake and
an intake link carry the date as the rest of the site writes it ("4 mrt 2026"), not as ISO
(2026-03-04) or as 04-03-2026, which an English reader takes for 3 April."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from accounts.models import Area, VerificationCodeBatch
from initiatives.models import Initiative
from intake.models import Intake, IntakeLink
from sroi.models import Transaction


@pytest.mark.parametrize(("language", "day"), [("nl", "4 mrt 2026"), ("en", "4 Mar 2026")])
def test_names_carry_the_date_as_the_site_writes_it(language, day, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    # late on 3 March in UTC is 4 March in Amsterdam
    made = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)
    initiative = Initiative(name="Buurttuin")
    intake = Intake(initiative=initiative, date=date(2026, 3, 4))
    with translation.override(language):
        transaction = str(Transaction(date=date(2026, 3, 4), kind=Transaction.Kind.DISBURSEMENT))
        batch = str(VerificationCodeBatch(count=20, area=Area(name="Noord"), created_at=made))
        link = str(IntakeLink(intake=intake, created_at=made))
    assert transaction.startswith(f"{day} ")
    assert batch == f"20 × Noord ({day})"
    assert link == f"Buurttuin – {day} ({day})"
