from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from initiatives import panels


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Register the tasks in every process, not only in the worker: the services send
        # `governance.tasks.tally_poll` and `make_poll_cards` by name from Celery's registry.
        from . import tasks  # noqa: F401, PLC0415 - AppConfig.ready: registers the tasks
        from .panels import money_panel  # noqa: PLC0415 - AppConfig: models load later

        # The initiative's page shows the money the decisions gave it (initiatives is lower).
        panels.register("governance.money", money_panel)
