"""Reads for the report archive and the outcome pages."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Area

from .models import AnnualReport, Outcome


def _current_reports() -> QuerySet[AnnualReport]:
    return (
        AnnualReport.objects.filter(is_current=True, status=AnnualReport.Status.DONE)
        .select_related("area")
        .order_by("-year", "area__name", "language")
    )


def published_reports() -> QuerySet[AnnualReport]:
    """Every current, finished annual report, newest year first (the public archive).

    An interim report (made before its year ended) is never listed as the year's annual report.
    """
    return _current_reports().filter(interim=False)


def interim_reports() -> QuerySet[AnnualReport]:
    """Current interim reports: a year that had not ended, counted up to the day they were made."""
    return _current_reports().filter(interim=True)


def all_versions() -> QuerySet[AnnualReport]:
    """Every version, also queued, failed and replaced ones (for civil servants)."""
    return AnnualReport.objects.select_related("area", "requested_by").order_by(
        "-year", "area__name", "language", "-version"
    )


def published_report(*, year: int, language: str, area: Area | None) -> AnnualReport:
    """The current report of a year in a language, falling back to Dutch; 404 when none.

    For a year that has not ended this is an interim report, and its page and PDF say so.
    """
    reports = _current_reports().filter(year=year, area=area)
    by_language = {report.language: report for report in reports}
    report = by_language.get(language) or by_language.get("nl") or next(iter(reports), None)
    if report is None:
        raise Http404("no published report")
    return report


def versions_of(report: AnnualReport) -> list[AnnualReport]:
    """Every finished version of the report's year, scope and language, newest first, without
    their content: what the year page lists (one query, however many versions)."""
    return list(
        AnnualReport.objects.filter(
            year=report.year,
            language=report.language,
            area_id=report.area_id,
            status=AnnualReport.Status.DONE,
        )
        .only(
            "year",
            "language",
            "area_id",
            "version",
            "finished_at",
            "sha256",
            "interim",
            "is_current",
        )
        .order_by("-version")
    )


def report_version(*, year: int, language: str, version: int, area: Area | None):
    """One finished version of a report (also a replaced one); 404 when it does not exist."""
    try:
        return AnnualReport.objects.get(
            year=year,
            language=language,
            version=version,
            area=area,
            status=AnnualReport.Status.DONE,
        )
    except AnnualReport.DoesNotExist as exc:
        raise Http404("no such report") from exc


def outcomes(*, year: int | None = None) -> QuerySet[Outcome]:
    rows = Outcome.objects.select_related("initiative", "recorded_by")
    return rows.filter(year=year) if year else rows


def annex_file(report: AnnualReport, *, name: str, fmt: str) -> dict:
    """A file of a report's annex as recorded in its snapshot; 404 when it has no such file."""
    files = ((report.snapshot or {}).get("annex") or {}).get("files", [])
    for found in files:
        if found["name"] == name and found["format"] == fmt:
            return found
    raise Http404("no such annex file")
