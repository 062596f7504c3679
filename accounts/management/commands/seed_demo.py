"""Create the demo scenario of DOMAIN.md §4, as far as the models exist. Idempotent.

Each app contributes a `demo.py` with `seed(log)`; they run in the order of INSTALLED_APPS,
so an app can rely on the demo data of the apps below it. A `finish(log)` of a demo runs after
every app's `seed`, for what looks at all of them (notifications marks long-past messages read). What can be shown only once (the
trustees' keys of a new demo poll) is printed, and with `--notes-file` also kept in that file,
so that `make run` can show it again as long as that poll is the open one.
"""

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from common.story import past_told, window_rules


class Command(BaseCommand):
    help = "Create the demo scenario (Amsterdam Zuidoost); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also when DEBUG is off (a test site; never a real one: it books made-up money "
            "on decisions by made-up people).",
        )
        parser.add_argument(
            "--notes-file",
            type=Path,
            help="also write what is shown only once (a new demo poll's keys) to this file, "
            "replacing it; left as it is when there is nothing new",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "The demo books made-up money on decisions by made-up people, into a fund found "
                "by its name; refusing with DEBUG off (use --force for a test site)."
            )
        verbosity = options["verbosity"]

        def log(message: str) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {message}")

        demos = [
            import_module(f"{config.name}.demo")
            for config in apps.get_app_configs()
            if find_spec(f"{config.name}.demo") is not None
        ]
        # The past is told with the clock set back; the database's rules of a vote's window go
        # by its own clock, so they are off while this transaction tells it (common/story.py).
        with transaction.atomic(), past_told(window_rules()):
            for demo in demos:
                demo.seed(log)
                if verbosity:
                    self.stdout.write(f"demo data: {demo.__name__.split('.')[0]} ready")
            # What looks at every app's demo data (notifications: the long-past messages read).
            for demo in demos:
                if hasattr(demo, "finish"):
                    demo.finish(log)
        # Things shown only once (e.g. the trustees' keys of the demo poll), at every verbosity.
        notes = []
        for config in apps.get_app_configs():
            if find_spec(f"{config.name}.demo") is not None:
                notes += getattr(import_module(f"{config.name}.demo"), "notes", list)()
        for line in notes:
            self.stdout.write(line)
        if notes and options["notes_file"]:
            options["notes_file"].parent.mkdir(parents=True, exist_ok=True)
            options["notes_file"].write_text("\n".join(notes) + "\n", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS("Demo scenario ready."))
