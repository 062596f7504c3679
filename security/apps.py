from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .database import never_ignore_triggers


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        # Sent once every migration has run (and after a flush): django-pgtrigger writes its
        # function again with each trigger it installs (security/database.py).
        post_migrate.connect(never_ignore_triggers, sender=self)
