"""Published report files are checked against their checksums before they are served.

A report's PDF has its SHA-256 in `AnnualReport.sha256`, each annex file in the report's
snapshot (`annex.files[].sha256`). Whoever can write the media storage (disk or S3) could swap a
file; these checks make sure a swapped or missing file is refused, not served as the published
one. `verify_reports` (command and daily task) checks every done report the same way.
"""

import hashlib
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.files.storage import Storage, default_storage

from .models import AnnualReport

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
# A checked copy stays in memory up to this size, then goes to a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024

MISSING = "missing"
DIFFERS = "differs"


class FileNotAsPublished(Exception):
    """A stored report file is missing or its bytes are not the published ones."""

    def __init__(self, problem: "Problem"):
        super().__init__(problem.describe())
        self.problem = problem


@dataclass(frozen=True)
class Problem:
    report: AnnualReport
    path: str
    kind: str  # MISSING or DIFFERS
    expected: str
    found: str = ""

    def describe(self) -> str:
        if self.kind == MISSING:
            return f"{_label(self.report)}: {self.path}: missing"
        return f"{_label(self.report)}: {self.path}: sha256 {self.found}, published {self.expected}"


def _label(report: AnnualReport) -> str:
    scope = report.area.slug if report.area_id else "gemeente"
    return f"report {report.pk} ({report.year} {scope} {report.language} v{report.version})"


def _hash(storage: Storage, path: str, copy=None) -> str | None:
    """The file's SHA-256, written to `copy` on the way if given; None when there is no file."""
    if not path:
        return None
    digest = hashlib.sha256()
    try:
        with storage.open(path, "rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                digest.update(chunk)
                if copy is not None:
                    copy.write(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def _problem(report: AnnualReport, path: str, sha256: str, found: str | None) -> Problem | None:
    if found is None:
        return Problem(report, path, MISSING, sha256)
    if found != sha256:
        return Problem(report, path, DIFFERS, sha256, found)
    return None


def checked_copy(report: AnnualReport, *, storage: Storage, path: str, sha256: str):
    """A copy of the stored file whose SHA-256 is `sha256`, positioned at its start; raises
    FileNotAsPublished (and logs an error) when the file is missing or differs. The copy is what
    gets served, so the bytes sent are the bytes checked, even if the file changes meanwhile."""
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned
    try:
        problem = _problem(report, path, sha256, _hash(storage, path, copy))
    except BaseException:
        copy.close()
        raise
    if problem:
        copy.close()
        logger.error("published report file refused: %s", problem.describe())
        raise FileNotAsPublished(problem)
    copy.seek(0)
    return copy


def checked_pdf(report: AnnualReport):
    """The report's PDF, checked against `report.sha256`."""
    return checked_copy(
        report, storage=report.pdf.storage, path=report.pdf.name, sha256=report.sha256
    )


def checked_annex_file(report: AnnualReport, found: dict):
    """One annex file (an entry of the snapshot's `annex.files`), checked against its sha256."""
    return checked_copy(report, storage=default_storage, path=found["path"], sha256=found["sha256"])


def report_files(report: AnnualReport) -> Iterator[tuple[Storage, str, str]]:
    """(storage, path, published sha256) of the report's PDF and of each annex file."""
    yield report.pdf.storage, report.pdf.name, report.sha256
    for found in ((report.snapshot or {}).get("annex") or {}).get("files", []):
        yield default_storage, found.get("path", ""), found.get("sha256", "")


@dataclass
class Verification:
    reports: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)


def verify_reports() -> Verification:
    """Hash every done report's PDF and annex files; the files that are missing or differ."""
    result = Verification()
    done = AnnualReport.objects.filter(status=AnnualReport.Status.DONE).select_related("area")
    for report in done.order_by("year", "area_id", "language", "version").iterator():
        result.reports += 1
        for storage, path, sha256 in report_files(report):
            result.files += 1
            problem = _problem(report, path, sha256, _hash(storage, path))
            if problem:
                result.problems.append(problem)
    return result
