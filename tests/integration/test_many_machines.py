"""More than one machine: two web processes, two workers and one beat on one database and Redis.

Two gunicorn processes run as the Dockerfile runs them (its CMD, on free local ports), with the
cache and the sessions on a Redis database of their own (CACHE_URL). A second Celery worker joins
the harness's worker, and a beat started for this test sends the scheduled tasks. Nothing is
shared between the two web processes but PostgreSQL, Redis and the media folder: a person who
logs in through one may go on through the other, as behind a load balancer.
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from governance import services as governance_services
from governance.models import Choice, Decision, Proposal, Vote
from reports.models import AnnualReport
from tests.accounts.factories import UserFactory
from tests.accounts.otp import totp_token
from tests.governance.factories import board, in_discussion, voting

from .conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "correct-horse-battery-9"
CACHE_DB = 2  # the broker uses database 0 of the same Redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dockerfile_gunicorn_command(port: int) -> list[str]:
    """The Dockerfile's CMD, bound to a local port instead of 0.0.0.0:8000."""
    text = (ROOT / "Dockerfile").read_text()
    cmd_text = re.search(r"^CMD (\[.*?\])\s*$", text, re.M | re.S).group(1)
    cmd = json.loads(cmd_text.replace("\\\n", ""))
    assert cmd[0] == "gunicorn", cmd
    cmd[cmd.index("--bind") + 1] = f"127.0.0.1:{port}"
    return [str(BIN / "gunicorn"), *cmd[1:]]


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM (gunicorn and Celery shut down gracefully), then SIGKILL the whole group."""
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class Processes:
    """The processes of this module, each in its own session and log file; `stop_all()` ends
    every one of them, also when a test fails."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="burgerkracht-machines-"))
        self.started: list[subprocess.Popen] = []
        redis_port = os.environ["INTEGRATION_REDIS_PORT"]
        self.cache_url = f"redis://127.0.0.1:{redis_port}/{CACHE_DB}"
        self.env = os.environ | {
            "CACHE_URL": self.cache_url,
            "STATIC_ROOT": str(self.tmp / "static"),
            # Plain HTTP on the loopback: a browser behind TLS gets secure cookies.
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "USE_X_FORWARDED_PROTO": "0",
            "WEB_CONCURRENCY": "2",
            "RUN_BEAT_IN_WEB": "0",
        }
        # Under make test-integration-app-role web, worker and beat log in as a role that owns
        # nothing, as deploy/README.md sets them up (scripts/integration.py, `worker_as`).
        if app_url := os.environ.get("INTEGRATION_APP_DATABASE_URL"):
            self.env["DATABASE_URL"] = app_url

    def start(self, name: str, cmd: list[str]) -> subprocess.Popen:
        log = (self.tmp / f"{name}.log").open("ab")
        process = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        self.started.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def collectstatic(self) -> None:
        # The image collects the static files at build time (the Dockerfile); so do we, once.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT, env=self.env, check=True, capture_output=True,
        )  # fmt: skip

    def web(self, name: str) -> str:
        port = free_port()
        process = self.start(name, dockerfile_gunicorn_command(port))
        url = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            if process.poll() is not None:
                pytest.fail(f"{name} exited:\n{self.log(name)[-3000:]}")
            with contextlib.suppress(requests.RequestException):
                return requests.get(f"{url}/_healthz/readyz/", timeout=2).status_code == 200
            return False

        wait_until(ready, 90, f"web process {name} to answer")
        return url

    def worker(self, name: str) -> subprocess.Popen:
        return self.start(name, [
            str(BIN / "celery"), "-A", "config", "worker", "--loglevel=INFO", "--concurrency=1",
            "--pool=prefork", f"--hostname={name}@%h", "--without-gossip", "--without-mingle",
        ])  # fmt: skip

    def beat(self) -> subprocess.Popen:
        return self.start("beat", [
            str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO",
            "--schedule", str(self.tmp / "beat-schedule"), "--pidfile", str(self.tmp / "beat.pid"),
        ])  # fmt: skip

    def stop_all(self) -> None:
        for process in reversed(self.started):
            stop(process)
        shutil.rmtree(self.tmp, ignore_errors=True)


def workers_answering() -> set[str]:
    from config.celery import app

    return {name for reply in app.control.ping(timeout=2) for name in reply}


@pytest.fixture(scope="module")
def machines():
    processes = Processes()
    try:
        processes.collectstatic()
        processes.worker("second")
        urls = processes.web("web-a"), processes.web("web-b")
        wait_until(lambda: len(workers_answering()) >= 2, 90, "two workers to answer")
        yield processes, urls
    finally:
        processes.stop_all()
        for process in processes.started:
            assert process.poll() is not None, f"pid {process.pid} still runs"


def with_password(user):
    """The web processes check passwords with the real hashers (the fast suite's conftest makes
    the tests use MD5, which production does not accept)."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def log_in(session: requests.Session, web: str, username: str) -> requests.Response:
    token = csrf_token(session, f"{web}/accounts/inloggen/")
    response = session.post(
        f"{web}/accounts/inloggen/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{web}/accounts/inloggen/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[-2000:]
    return response


def test_two_web_processes_two_workers_and_one_beat(machines):
    processes, (web_a, web_b) = machines
    assert web_a != web_b

    # A vote whose window ends in a few seconds, long before the beat's first tick (a minute).
    body, _voters = board(community=2, institution=1)
    due = governance_services.open_voting(
        proposal=in_discussion(body=body),
        closes_at=timezone.now() + timedelta(seconds=3),
        actor=None,
    )
    assert due.status == Proposal.Status.VOTING
    processes.beat()

    # --- A member logs in through A and votes through B with the same cookies -------------
    member = with_password(UserFactory(username="lid-twee-machines"))
    vote_body, _ = board(community=1, institution=1, members=[member])
    proposal = voting(body=vote_body, minutes=60)
    member_session = requests.Session()
    log_in(member_session, web_a, member.username)
    ballot_url = f"{web_b}/voorstellen/{proposal.pk}/stemmen/"
    token = csrf_token(member_session, ballot_url)  # B knows the session A started
    response = member_session.post(
        ballot_url,
        data={"choice": Choice.FOR, "csrfmiddlewaretoken": token},
        headers={"Referer": ballot_url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code in (200, 302), response.text[-2000:]
    vote = Vote.objects.get(proposal=proposal, user=member)
    assert vote.choice == Choice.FOR

    # The sessions and the cache are in Redis database CACHE_DB, not in a process.
    cache = redis.Redis.from_url(processes.cache_url)
    assert cache.dbsize() > 0
    cache.close()

    # --- A civil servant with a second factor requests a report through A ----------------
    servant = with_password(UserFactory(username="ambtenaar-twee-machines"))
    servant.groups.add(Group.objects.get(name=Role.CIVIL_SERVANT.value))
    device = TOTPDevice.objects.create(user=servant, name="app", confirmed=True)
    staff = requests.Session()
    log_in(staff, web_a, servant.username)
    request_url = f"{web_a}/rapporten/aanvragen/"
    asked = staff.get(request_url, allow_redirects=False, timeout=30)
    assert asked.status_code == 302 and "/accounts/tweede-stap/" in asked.headers["Location"]
    second_url = f"{web_a}/accounts/tweede-stap/"
    token = csrf_token(staff, second_url)
    response = staff.post(
        second_url,
        data={"token": totp_token(device), "csrfmiddlewaretoken": token},
        headers={"Referer": second_url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[-2000:]

    year = timezone.localdate().year - 1
    token = csrf_token(staff, f"{web_a}/rapporten/")  # the page with the request form
    response = staff.post(
        request_url,
        data={"year": year, "languages": ["nl"], "csrfmiddlewaretoken": token},
        headers={"Referer": request_url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, (response.status_code, response.text[-3000:])
    report = AnnualReport.objects.get(year=year, language="nl")

    def finished():
        found = AnnualReport.objects.get(pk=report.pk)
        return (
            found
            if found.status in (AnnualReport.Status.DONE, AnnualReport.Status.FAILED)
            else None
        )

    report = wait_until(finished, 120, "a worker to build the report")
    assert report.status == AnnualReport.Status.DONE, report.error

    # ... and downloads the PDF from B with the same cookies (a cookie is not tied to a port).
    download = staff.get(f"{web_b}/rapporten/{year}.pdf", timeout=60)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert hashlib.sha256(download.content).hexdigest() == report.sha256

    # --- The beat's scheduled task closes the due vote once, although two workers run -----
    decided = wait_until(
        lambda: Decision.objects.filter(proposal=due).first(), 150, "the beat to close the vote"
    )
    assert Decision.objects.filter(proposal=due).count() == 1
    due.refresh_from_db()
    assert due.status in (Proposal.Status.ADOPTED, Proposal.Status.REJECTED)
    assert decided.proposal_id == due.pk
    assert "Sending due task close-due-proposals" in processes.log("beat")
