"""The web process sets its garbage collector once the application is loaded (config/collector.py)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import gc
before = gc.get_threshold()[0]
import config.wsgi  # what gunicorn loads in each worker
print(before, gc.get_threshold()[0], gc.get_freeze_count())
"""


def test_loading_the_wsgi_application_freezes_the_heap_and_raises_the_first_threshold():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    result = subprocess.run(  # noqa: S603 - our own interpreter with a fixed script
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    before, after, frozen = (int(word) for word in result.stdout.split()[-3:])
    assert before == 700  # Python's default, untouched until the application is loaded
    assert after == 10_000
    assert frozen > 50_000  # Django and the apps: far more objects than a request makes
