from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # Here, not at the top: they import the models, which are not loaded with apps.py.
        from . import middleware, ratelimit, rolelog, roles  # noqa: PLC0415 - AppConfig: models load later
        from .models import User  # noqa: PLC0415 - AppConfig: models load later

        # After Django has created the permissions, give each role group its permissions.
        post_migrate.connect(roles.sync_role_groups_after_migrate)
        # The idle clock starts at log-in.
        user_logged_in.connect(middleware.start_idle_clock)
        # A failed log-in counts against its client address (accounts.ratelimit).
        user_login_failed.connect(ratelimit.count_failure, dispatch_uid="login_failures")
        # Every role given or taken is on record (on PostgreSQL the table's trigger writes it).
        rolelog.connect(User)
