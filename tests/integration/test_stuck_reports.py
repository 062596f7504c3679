"""A worker killed in the middle of a build: the report is sent again and made (point 6)."""

import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from config.celery import app
from reports import services
from reports.models import AnnualReport
from reports.tasks import build_annual_report

from .conftest import wait_until

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "stuck-report-test"


@pytest.fixture
def slow_worker(tmp_path):
    """A second, real worker on its own queue whose build hangs; the test kills it."""
    log = (tmp_path / "slow-worker.log").open("ab")
    hostname = f"slow-{os.getpid()}@{socket.gethostname()}"
    celery = str(Path(os.sys.executable).parent / "celery")
    process = subprocess.Popen(
        [celery, "-A", "tests.integration.slow_worker", "worker", "-Q", QUEUE,
         "--concurrency=1", "--pool=prefork", f"--hostname={hostname}", "--without-gossip",
         "--without-mingle", "--loglevel=INFO"],
        cwd=ROOT, env=os.environ.copy(), stdin=subprocess.DEVNULL,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    wait_until(lambda: app.control.ping(destination=[hostname], timeout=1), 60, "the slow worker")
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    log.close()


def _report(pk: int) -> AnnualReport:
    return AnnualReport.objects.get(pk=pk)


@pytest.mark.django_db(transaction=True)
def test_a_build_whose_worker_was_killed_is_sent_again_and_made(slow_worker, settings):
    year = timezone.localdate().year - 1
    report = services.request_report(year=year, language="nl", dispatch=False, actor=None)
    build_annual_report.apply_async(args=[report.pk], queue=QUEUE)
    AnnualReport.objects.filter(pk=report.pk).update(dispatched_at=timezone.now())
    wait_until(
        lambda: _report(report.pk).status == AnnualReport.Status.RUNNING,
        60,
        "the slow worker to start",
    )

    # The whole worker dies (no warm shutdown, nothing acknowledged or requeued).
    os.killpg(slow_worker.pid, signal.SIGKILL)
    slow_worker.wait()
    assert _report(report.pk).status == AnnualReport.Status.RUNNING

    # Within the limit the dispatcher leaves it alone; past it, the build is sent again
    # (to the harness's worker, on the normal queue) and made.
    assert services.dispatch_pending_reports() == 0
    settings.REPORT_STUCK_AFTER_SECONDS = 0
    assert services.dispatch_pending_reports() == 1
    done = wait_until(
        lambda: (
            _report(report.pk)
            if _report(report.pk).status in (AnnualReport.Status.DONE, AnnualReport.Status.FAILED)
            else None
        ),
        120,
        "the build to be made again",
    )
    assert done.status == AnnualReport.Status.DONE, done.error
    assert done.attempts == 2 and done.is_current and done.sha256
