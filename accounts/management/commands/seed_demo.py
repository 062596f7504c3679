"""Create the demo scenario of DOMAIN.md §4, as far as the models exist. Idempotent.

Each app contributes a `demo.py` with `seed(log)`; they run in the order of INSTALLED_APPS,
so an app can rely on the demo data of the apps below it.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo scenario (Amsterdam Zuidoost); safe to run again."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def log(message: str) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {message}")

        with transaction.atomic():
            for config in apps.get_app_configs():
                if find_spec(f"{config.name}.demo") is None:
                    continue
                import_module(f"{config.name}.demo").seed(log)
                if verbosity:
                    self.stdout.write(f"demo data: {config.label} ready")
        # Things shown only once (e.g. the trustees' keys of the demo poll), at every verbosity.
        for config in apps.get_app_configs():
            if find_spec(f"{config.name}.demo") is not None:
                for line in getattr(import_module(f"{config.name}.demo"), "notes", list)():
                    self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo scenario ready."))
