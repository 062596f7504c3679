from importlib import import_module

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from initiatives import panels


def _ensure_version_1(sender, **kwargs) -> None:
    """Load questionnaire version 1 again after a database flush (idempotent).

    The data migration is the one source of version 1; a flush (transactional tests, the browser
    tests' live server) empties the table but sends post_migrate, so the same function runs here.
    """
    migration = import_module("intake.migrations.0002_questionnaire_v1")
    migration.create_version_1(kwargs.get("apps") or global_apps, None)


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        # Here, not at the top: the panel's tags import intake's models, not loaded with apps.py.
        from .panels import published_profile_panel  # noqa: PLC0415 - AppConfig: models load later

        post_migrate.connect(_ensure_version_1, sender=self)
        # The initiative's page shows the published profile without loading intake's tags.
        panels.register("intake.published_profile", published_profile_panel)
