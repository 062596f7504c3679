from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Transparency reports")

    def ready(self):
        # Register the tasks in every process, not only in the worker: the services send
        # `reports.build_annual_report` by its name from Celery's registry (a web process that
        # never imported reports.tasks would not find it).
        from . import tasks  # noqa: F401, PLC0415 - AppConfig.ready: registers the tasks
