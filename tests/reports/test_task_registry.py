"""A web process (one that never imports reports.tasks itself) finds the report task by name."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django
django.setup()
import sys
from celery import current_app
assert "reports.tasks" in sys.modules, "reports.tasks not imported at start-up"
assert "reports.build_annual_report" in current_app.tasks
print("found")
"""


def test_a_fresh_process_has_the_report_task_in_celerys_registry():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    result = subprocess.run(  # noqa: S603 - our own interpreter with a fixed script
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("found")
