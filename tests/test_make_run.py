"""`make run` keeps the console to what a person needs; the details go to a log file."""

import io
import logging
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_seeding_the_demo_logs_no_weasyprint_steps(caplog):
    # given: the demo, which builds last year's annual report (a PDF) while seeding
    call_command("seed_demo", verbosity=1, stdout=io.StringIO(), force=True)
    # then: not one "Step N - Creating layout" line reached a handler
    progress = [r for r in caplog.records if r.name.startswith("weasyprint.progress")]
    assert progress == []
    assert logging.getLogger("weasyprint.progress").getEffectiveLevel() == logging.WARNING


def test_make_run_sends_the_details_to_a_log_file_and_shows_the_log_ins():
    commands = subprocess.run(  # noqa: S603 - a fixed command
        ["make", "--dry-run", "--always-make", "run"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [line for line in commands.splitlines() if "manage.py" in line]
    migrate, seed, users, serve = (
        next(line for line in lines if name in line)
        for name in (" migrate", " seed_demo", " create_demo_users", " runserver")
    )
    assert "> var/log/make-run.log" in migrate
    assert ">> var/log/make-run.log" in seed
    assert "var/log" not in users and "var/log" not in serve
    # the open demo poll's keys, kept by seed_demo, reach the console before the address
    assert "--notes-file var/demo-poll.txt" in seed
    shown = commands.splitlines()
    notes = shown.index(next(line for line in shown if line.startswith("cat var/demo-poll.txt")))
    assert shown.index(users) < notes < shown.index(serve)
    assert "var/" in (ROOT / ".gitignore").read_text().split()
