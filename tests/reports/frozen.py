"""The report snapshot written by the code before the typed snapshot (`snapshots/v1.json`), and
a published report made of it: for the tests that render a real, full report."""

import json
from pathlib import Path

from django.utils import timezone

from reports.models import AnnualReport

SNAPSHOTS = Path(__file__).parent / "snapshots"


def v1() -> dict:
    """A real snapshot made by the code before the typed snapshot (unversioned: version 1):
    two funds with money in, tranches, allocations with their decisions and tallies, a
    reversal, a contract, an outcome, a budget round and the annex."""
    return json.loads((SNAPSHOTS / "v1.json").read_text(encoding="utf-8"))


def published(data: dict) -> AnnualReport:
    """The current Dutch report of 2025 with `data` as its snapshot."""
    return AnnualReport.objects.create(
        year=2025,
        language="nl",
        version=1,
        status=AnnualReport.Status.DONE,
        is_current=True,
        sha256="a" * 64,
        snapshot=data,
        finished_at=timezone.now(),
    )
