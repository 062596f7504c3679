"""Check every published report file against its checksum: the PDFs and the annex files."""

from django.core.management.base import BaseCommand, CommandError

from reports import integrity


class Command(BaseCommand):
    help = (
        "Hash the PDF and the annex files of every done annual report and compare them with the "
        "published SHA-256; fails when a file is missing or differs."
    )

    def handle(self, *args, **options):
        result = integrity.verify_reports()
        for problem in result.problems:
            self.stderr.write(problem.describe())
        self.stdout.write(
            f"{result.reports} reports, {result.files} files checked, "
            f"{len(result.problems)} missing or different"
        )
        if result.problems:
            raise CommandError("published report files are missing or differ (see above)")
