"""The Celery application. Without CELERY_BROKER_URL, tasks run eagerly in-process (see settings)."""

import logging.config
import os

from celery import Celery, signals
from django.conf import settings
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("burgerkracht")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The request id of the web request that sent a task is logged with the task's records too.
app.steps["worker"].add(DjangoStructLogInitStep)


@signals.setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Worker and beat log like the web processes: one JSON line a record in production."""
    logging.config.dictConfig(settings.LOGGING)
