from . import checks  # noqa: F401 - registers the system checks (config/checks.py)
from .celery import app as celery_app

__all__ = ("celery_app",)
