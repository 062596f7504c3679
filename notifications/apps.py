from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # receivers: connects the signals of the lower layer; tasks: registers the tasks in every
        # process (the services send `notifications.deliver` by name from Celery's registry).
        from . import (  # noqa: F401, PLC0415 - AppConfig.ready: registers signals, tasks
            receivers,
            tasks,
        )
