"""A Celery app for one test: the real worker, but its report build hangs until it is killed.

`celery -A tests.integration.slow_worker worker -Q <queue>` loads this; each pool process, once
Django is set up, gets a rendering that sleeps. Nothing else differs from config.celery.
"""

import time

from celery.signals import worker_process_init

from config.celery import app

__all__ = ["app"]


def _render_slowly(content, *, language):
    time.sleep(3600)  # the test kills this worker long before
    raise RuntimeError("not reached")


@worker_process_init.connect
def _slow_down(**kwargs) -> None:
    import reports.rendering

    reports.rendering.render_pdf = _render_slowly
