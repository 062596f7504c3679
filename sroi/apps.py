from importlib import import_module

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_utrecht_catalogue(sender, **kwargs) -> None:
    """Load the first building-block catalogue again after a database flush (idempotent).

    The data migration is the one source of the table; a flush (transactional tests, the browser
    tests' live server) empties it but sends post_migrate, so the same function runs here.
    """
    migration = import_module("sroi.migrations.0002_utrecht_catalogue")
    # 0002 names the kinds as they were stored then; 0007 renamed them to English (issue 19).
    renamed = import_module("sroi.migrations.0007_english_stored_values").BLOCK_KINDS
    migration.create_utrecht_catalogue(kwargs.get("apps") or global_apps, None, kinds=renamed)


class SroiConfig(AppConfig):
    name = "sroi"
    verbose_name = _("Social return and community fund")

    def ready(self) -> None:
        post_migrate.connect(_ensure_utrecht_catalogue, sender=self)
