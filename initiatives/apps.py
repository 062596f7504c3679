from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from common.pagecache import watch_connection

from .stemming import register_sqlite_functions


def _ensure_classifications(sender, **kwargs) -> None:
    # Here, not at the top: services import the models, which are not loaded with apps.py.
    from .services import ensure_classifications  # noqa: PLC0415 - AppConfig: models load later

    ensure_classifications()


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives registry")

    def ready(self) -> None:
        # A data migration creates the rows; a database flush (the transactional tests do one)
        # sends post_migrate too, so the rows are made again there.
        post_migrate.connect(_ensure_classifications, sender=self)
        connection_created.connect(register_sqlite_functions, dispatch_uid="bk_dutch_stems")
        # The public page cache is renewed by every write to the tables that feed those pages.
        connection_created.connect(watch_connection, dispatch_uid="bk_page_cache")
