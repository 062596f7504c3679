"""A published version of the annual report stays as it was published, also against SQL of the
application's own role (insider review 2026-12-05, R1; reports migration 0007): before, one
UPDATE changed the figures on the public year page under the same version and checksum, another
put an older version back, and a DELETE made a year's report disappear."""

import hashlib
import json

import pytest
from django.db import DatabaseError, transaction

from reports import rendering, services
from reports.models import AnnualReport
from tests.integration.sql import refused_as, run
from tests.sroi.factories import funded

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

YEAR = 2025


@pytest.fixture(autouse=True)
def _cheap_pdf(monkeypatch):
    """A stand-in PDF made of the frozen content: WeasyPrint is not what is tested here."""

    def fake(content, *, language):
        from reports.snapshot import dump

        return b"%PDF-1.4 stand-in\n" + json.dumps(dump(content), default=str).encode(), 1

    monkeypatch.setattr(rendering, "render_pdf", fake)


def _build() -> AnnualReport:
    report = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    return services.build_report(report_id=report.pk)


def test_a_published_version_is_never_rewritten_replaced_or_deleted(app_role, client):
    funded("1000.00")  # 1,000.00 in on 10 January 2025
    first = _build()
    page = client.get(f"/rapporten/{YEAR}/").content.decode()
    assert "1.000,00" in page
    # its figures, its file and checksum: as published
    assert "stays as it was published" in refused_as(
        app_role,
        "UPDATE reports_annualreport SET snapshot = jsonb_set(snapshot, '{funds,0,total_in}', "
        "'\"987654.00\"') WHERE id = %s",
        [first.pk],
    )
    assert "stays as it was published" in refused_as(
        app_role,
        "UPDATE reports_annualreport SET sha256 = %s, pdf = 'rapporten/elders.pdf' WHERE id = %s",
        [hashlib.sha256(b"vals").hexdigest(), first.pk],
    )
    # a newer version takes over; the older one never becomes current again
    second = _build()
    first.refresh_from_db()
    assert second.version == 2 and second.is_current and not first.is_current
    with transaction.atomic():  # the newer one may stop being current, by itself ...
        run(f"SET LOCAL ROLE {app_role}")
        run("UPDATE reports_annualreport SET is_current = false WHERE id = %s", [second.pk])
        # ... but the older one does not come back in its place
        with pytest.raises(DatabaseError, match="stays as it was published"), transaction.atomic():
            run("UPDATE reports_annualreport SET is_current = true WHERE id = %s", [first.pk])
        transaction.set_rollback(True)
    # no version is deleted, nor moved to another year
    assert "never deleted" in refused_as(
        app_role, "DELETE FROM reports_annualreport WHERE year = %s", [YEAR]
    )
    assert "stays as it was published" in refused_as(
        app_role, "UPDATE reports_annualreport SET year = 2024 WHERE id = %s", [second.pk]
    )
    assert AnnualReport.objects.filter(year=YEAR).count() == 2
    assert AnnualReport.objects.get(is_current=True, year=YEAR).pk == second.pk
    assert "1.000,00" in client.get(f"/rapporten/{YEAR}/").content.decode()
