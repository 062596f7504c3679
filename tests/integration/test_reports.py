"""An annual report made by the real worker through the real Redis, and downloaded."""

import hashlib
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from reports import services
from reports.models import AnnualReport
from tests.accounts.factories import UserFactory

from .conftest import wait_until, worker_answers

pytestmark = pytest.mark.integration


def civil_servant_client(client):
    user = UserFactory(username="ambtenaar-integratie")
    user.groups.add(Group.objects.get(name=Role.CIVIL_SERVANT.value))
    client.force_login(user)
    return client


def finished(pk: int):
    report = AnnualReport.objects.get(pk=pk)
    return (
        report if report.status in (AnnualReport.Status.DONE, AnnualReport.Status.FAILED) else None
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_report_and_the_public_downloads_it(client):
    year = timezone.localdate().year - 1
    staff = civil_servant_client(client)

    response = staff.post("/rapporten/aanvragen/", {"year": year, "languages": ["nl"]})
    assert response.status_code == 302
    report = AnnualReport.objects.get(year=year, language="nl")
    assert report.dispatched_at is not None

    report = wait_until(lambda: finished(report.pk), 90, "the worker to build the report")
    assert report.status == AnnualReport.Status.DONE, report.error
    assert report.is_current and report.attempts == 1

    client.logout()
    download = client.get(f"/rapporten/{year}.pdf")
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == report.sha256
    reader = PdfReader(BytesIO(body))
    assert len(reader.pages) == report.pages
    assert reader.metadata.title.startswith(f"Jaarverslag {year}")
    assert "Inhoud" in reader.pages[1].extract_text()


@pytest.mark.django_db(transaction=True)
def test_a_request_while_redis_is_down_is_kept_and_sent_when_it_is_back(client, redis_server):
    year = timezone.localdate().year - 1
    staff = civil_servant_client(client)
    redis_server.stop()

    response = staff.post("/rapporten/aanvragen/", {"year": year, "languages": ["nl"]}, follow=True)
    assert response.status_code == 200
    assert "wachtrij is nu niet bereikbaar" in response.content.decode()
    report = AnnualReport.objects.get(year=year, language="nl")
    assert report.status == AnnualReport.Status.QUEUED and report.dispatched_at is None

    redis_server.start()
    wait_until(worker_answers, 60, "the worker to reconnect to Redis")
    wait_until(services.dispatch_pending_reports, 30, "the kept request to be sent")

    report = wait_until(lambda: finished(report.pk), 90, "the worker to build the report")
    assert report.status == AnnualReport.Status.DONE, report.error
    assert AnnualReport.objects.filter(year=year).count() == 1
