from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Area
from reports import services
from reports.models import AnnualReport


class Command(BaseCommand):
    help = (
        "Make the annual report of a year (a new version if one exists): through the worker, "
        "or in this process with --sync."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--area", help="the slug of an area; default: the whole municipality")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            action="append",
            help="repeat for several; default: every language",
        )
        parser.add_argument(
            "--sync", action="store_true", help="build here and now instead of in the worker"
        )

    def handle(self, *args, year, area, language, sync, **options):
        scope = None
        if area:
            try:
                scope = Area.objects.get(slug=area)
            except Area.DoesNotExist as exc:
                raise CommandError(f"unknown area: {area}") from exc
        failed = False
        for code in language or [code for code, _name in settings.LANGUAGES]:
            try:
                report = services.request_report(
                    year=year, area=scope, language=code, dispatch=not sync, actor=None
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            if sync:
                try:
                    report = services.build_report(report_id=report.pk)
                except Exception as exc:  # noqa: BLE001 - reported, and recorded on the row
                    failed = True
                    self.stderr.write(f"{report}: failed: {exc}")
                    continue
            report.refresh_from_db()
            self.stdout.write(self._describe(report))
        if failed:
            raise CommandError("a report could not be made (see above)")

    def _describe(self, report: AnnualReport) -> str:
        if report.is_done:
            return (
                f"{report}: ready, {report.pages} pages, sha256 {report.sha256} ({report.pdf.name})"
            )
        if report.dispatched_at is None:
            return (
                f"{report}: kept; the broker cannot be reached, the request is sent when it is "
                "back (dispatch_pending_reports)"
            )
        return f"{report}: sent to the worker ({report.get_status_display()})"
