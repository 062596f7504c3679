"""A build that runs across midnight on 31 December never publishes an open year as final
(insider review 2026-12-05, R4). The build reads the clock once, and the report is final only
when its year is closed in the database, read in the same snapshot as its figures. Before, it
asked the clock twice: "has the year ended?" (no: do not close it) at 23:59:59, and "is this an
interim report?" (no) a moment later, so a final report went out for a year that took bookings.
"""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from reports import rendering, services
from reports.models import AnnualReport
from sroi import services as sroi_services
from sroi.models import ClosedYear
from tests.sroi.factories import bookkeeper, funded

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEAR = 2025
MIDNIGHT = datetime.datetime(YEAR + 1, 1, 1, tzinfo=AMSTERDAM)
LAST_SECOND = MIDNIGHT - datetime.timedelta(seconds=1)
NEW_YEAR = MIDNIGHT + datetime.timedelta(hours=1, seconds=1)


@pytest.fixture(autouse=True)
def _cheap_pdf(monkeypatch):
    """WeasyPrint is not what is tested here: a PDF stand-in made from the frozen content."""

    def fake(content, *, language):
        from reports.snapshot import dump  # noqa: PLC0415 - only the stand-in needs it

        return b"%PDF-1.4 stand-in\n" + json.dumps(dump(content), default=str).encode(), 1

    monkeypatch.setattr(rendering, "render_pdf", fake)


def _requested():
    """A fund with money in the year, and the year's report asked for on its last evening."""
    with freeze_time(MIDNIGHT - datetime.timedelta(minutes=5)):
        fund = funded("1000.00")  # 10 January
        report = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    return fund, report


def _assert_final_only_when_closed(report_id: int, fund) -> None:
    report = AnnualReport.objects.get(pk=report_id)
    assert report.status == AnnualReport.Status.DONE and report.is_current
    closed = ClosedYear.objects.filter(year__gte=YEAR).exists()
    # either an interim report, or its year is closed; and the report says which it is
    assert report.interim or closed
    assert report.interim is not closed
    late = {
        "fund": fund,
        "amount": "250.00",
        "date": datetime.date(YEAR, 12, 31),
        "description": "Late",
        "actor": bookkeeper(),
    }
    if report.interim:
        assert report.as_of == datetime.date(YEAR, 12, 31)
        sroi_services.record_other_income(**late)  # the year is open: its report comes later
    else:
        # final: what it published is what the ledger will always hold for the year
        with pytest.raises(ValidationError, match="afgesloten"):
            sroi_services.record_other_income(**late)
        assert report.snapshot["funds"][0]["total_in"] == "1000.00"


# Midnight passes right after one step of the build (or before it starts).
STEPS = ["_start", "_close_year_of", "annual_report_content", "write_annex", "_freeze_content"]


@pytest.mark.parametrize("midnight_after", ["nothing", *STEPS])
def test_a_build_across_midnight_is_interim_or_closes_its_year(monkeypatch, midnight_after):
    fund, requested = _requested()
    with freeze_time(LAST_SECOND) as clock:
        if midnight_after == "nothing":
            clock.move_to(NEW_YEAR)
        else:
            step = getattr(services, midnight_after)

            def then_midnight(*args, **kwargs):
                result = step(*args, **kwargs)
                clock.move_to(NEW_YEAR)
                return result

            monkeypatch.setattr(services, midnight_after, then_midnight)
        services.build_report(report_id=requested.pk)
        monkeypatch.undo()
        _assert_final_only_when_closed(requested.pk, fund)


@pytest.mark.parametrize("reads_before_midnight", range(1, 16))
def test_a_build_while_the_clock_ticks_into_the_new_year_is_interim_or_closes_its_year(
    reads_before_midnight,
):
    # given a clock that moves one second each time it is read, and strikes midnight after
    # `reads_before_midnight` reads, wherever that falls in the build
    fund, requested = _requested()
    start = MIDNIGHT - datetime.timedelta(seconds=reads_before_midnight)
    with freeze_time(start, auto_tick_seconds=1):
        services.build_report(report_id=requested.pk)
    with freeze_time(NEW_YEAR):
        _assert_final_only_when_closed(requested.pk, fund)
