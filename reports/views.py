import logging
from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.models import Area

from . import integrity, selectors, services, snapshot
from .content import annual_report_content
from .forms import OutcomeForm, RequestReportForm
from .models import AnnualReport
from .rendering import report_context

logger = logging.getLogger(__name__)


def _area(request) -> Area | None:
    slug = request.GET.get("gebied")
    return get_object_or_404(Area, slug=slug) if slug else None


def _language(request) -> str:
    code = request.GET.get("taal") or get_language() or "nl"
    return code.split("-")[0]


def archive(request, *, form: RequestReportForm | None = None, status: int = 200):
    """The public archive; civil servants also see every version and can ask for a report."""
    years: dict[int, list[AnnualReport]] = {}
    for report in selectors.published_reports():
        years.setdefault(report.year, []).append(report)
    language = get_language()

    def listed(report: AnnualReport) -> tuple:
        # the whole municipality first, then the areas; in each, the visitor's language first
        return (report.area is not None, report.area.name if report.area else "",
                report.language != language)  # fmt: skip

    context = {
        "years": sorted(
            ((year, sorted(reports, key=listed)) for year, reports in years.items()), reverse=True
        ),
        "interim_reports": list(selectors.interim_reports()),
    }
    if request.user.has_perm("reports.see_report_status"):
        versions = list(selectors.all_versions()[:100])
        context["versions"] = versions
        context["pending"] = any(report.is_pending for report in versions)
        context["form"] = form or RequestReportForm()
    return render(request, "reports/archive.html", context, status=status)


class ArchiveView(View):
    def get(self, request):
        return archive(request)


class RequestReportView(PermissionRequiredMixin, View):
    permission_required = "reports.request_report"

    def post(self, request):
        form = RequestReportForm(request.POST)
        if not form.is_valid():
            return archive(request, form=form, status=400)
        try:
            # One transaction for every language asked for: a refusal requests none of them.
            reports = services.request_reports(
                year=form.cleaned_data["year"],
                area=form.cleaned_data["area"],
                languages=form.cleaned_data["languages"],
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return archive(request, form=form, status=400)
        kept = []
        for report in reports:
            report.refresh_from_db()  # dispatched after the commit, or kept for later
            if report.dispatched_at is None and report.status == AnnualReport.Status.QUEUED:
                kept.append(report)
        if kept:
            messages.warning(
                request,
                _(
                    "The report is requested, but the task queue cannot be reached right now. "
                    "Your request is kept and will be sent as soon as the queue is back."
                ),
            )
        else:
            messages.success(
                request, _("The report is requested; this page shows when it is ready.")
            )
        return redirect("reports:archive")


class StatusView(PermissionRequiredMixin, TemplateView):
    """One report's status row; the archive polls it (htmx) while the report is being made."""

    permission_required = "reports.see_report_status"
    template_name = "reports/partials/status_row.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = get_object_or_404(
            AnnualReport.objects.select_related("area", "requested_by"), pk=kwargs["pk"]
        )
        return context


class YearView(TemplateView):
    """The report of a year as a web page, from the same snapshot as its PDF."""

    template_name = "reports/year.html"

    def get(self, request, *args, **kwargs):
        # The page speaks the language of the report it shows (`?taal=en` from the archive's
        # English row, or the Dutch report where there is no English one): its words and its
        # figures, checksums and links are of one report.
        self.report, self.area = None, _area(request)
        if "voorbeeld" not in request.GET:
            self.report = selectors.published_report(
                year=kwargs["year"], language=_language(request), area=self.area
            )
        language = self.report.language if self.report else get_language()
        try:
            with translation.override(language):
                response = super().get(request, *args, **kwargs)
                response.render()
        except snapshot.SnapshotError as error:
            # A version this code does not read (made by newer code) or damaged data: the
            # stored report stays as it is; the reader gets a page that says so, not an error,
            # in the reader's language.
            logger.error(
                "annual report %s (year %s) cannot be shown: %s",
                getattr(self.report, "pk", None),
                kwargs["year"],
                error,
            )
            context = {"year": kwargs["year"], "report": self.report, "area": self.area}
            return render(request, "reports/unreadable.html", context, status=503)
        response.headers["Content-Language"] = language
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, area = kwargs["year"], self.area
        preview = "voorbeeld" in self.request.GET
        if preview:
            if not self.request.user.has_perm("reports.preview_report"):
                raise Http404
            content, report = annual_report_content(year=year, area=area), None
        else:
            report = self.report
            content = snapshot.load(report.snapshot)
            if report.interim and "interim" not in report.snapshot:
                # Made before interim reports were marked in their content.
                content = replace(content, interim=True, as_of=report.as_of)
        context.update(report_context(content))
        context["report"] = report
        # Every published version of this report, the replaced ones too (insider review R3).
        context["versions"] = selectors.versions_of(report) if report else []
        context["preview"] = preview
        # Switching the site's language leads to the report in the new language, not back to
        # this one (`taal` left out of the language form's return address).
        query = self.request.GET.copy()
        query.pop("taal", None)
        context["language_next"] = (
            f"{self.request.path}?{query.urlencode()}" if query else self.request.path
        )
        return context


def _refused_page(request) -> HttpResponse:
    """503 for a report file whose stored bytes are not the published ones (already logged)."""
    return render(request, "reports/file_refused.html", status=503)


def _pdf_response(request, report: AnnualReport) -> HttpResponse:
    try:
        checked = integrity.checked_pdf(report)
    except integrity.FileNotAsPublished:
        return _refused_page(request)
    scope = f"-{report.area.slug}" if report.area_id else ""
    response = FileResponse(
        checked,
        content_type="application/pdf",
        filename=f"jaarverslag-{report.year}{scope}-{report.language}-v{report.version}.pdf",
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    response["ETag"] = f'"{report.sha256}"'
    response["X-Checksum-SHA256"] = report.sha256
    return response


class PdfView(View):
    def get(self, request, year):
        report = selectors.published_report(
            year=year, language=_language(request), area=_area(request)
        )
        return _pdf_response(request, report)


ANNEX_TYPES = {"csv": "text/csv; charset=utf-8; header=present", "json": "application/json"}


def _annex_response(request, report: AnnualReport, *, name: str, fmt: str) -> HttpResponse:
    found = selectors.annex_file(report, name=name, fmt=fmt)
    try:
        checked = integrity.checked_annex_file(report, found)
    except integrity.FileNotAsPublished:
        return _refused_page(request)
    scope = f"-{report.area.slug}" if report.area_id else ""
    response = FileResponse(
        checked,
        content_type=ANNEX_TYPES[fmt],
        filename=f"jaarverslag-{report.year}{scope}-v{report.version}-bijlage-{name}.{fmt}",
    )
    response["ETag"] = f'"{found["sha256"]}"'
    response["X-Checksum-SHA256"] = found["sha256"]
    return response


class AnnexView(View):
    """One file of the annex of the published report: as frozen with it, checksum in the PDF."""

    def get(self, request, year, name, fmt):
        report = selectors.published_report(
            year=year, language=_language(request), area=_area(request)
        )
        return _annex_response(request, report, name=name, fmt=fmt)


class VersionAnnexView(View):
    """One file of the annex of one version (also a replaced one): the address its PDF prints,
    which keeps giving that version's file after a newer version is published."""

    def get(self, request, year, language, version, name, fmt):
        report = selectors.report_version(
            year=year, language=language, version=version, area=_area(request)
        )
        return _annex_response(request, report, name=name, fmt=fmt)


class VersionPdfView(View):
    def get(self, request, year, language, version):
        report = selectors.report_version(
            year=year, language=language, version=version, area=_area(request)
        )
        return _pdf_response(request, report)


class OutcomeView(PermissionRequiredMixin, View):
    """Civil servants record what initiatives achieved per year, with a source note."""

    permission_required = "reports.record_outcome"
    template_name = "reports/outcomes.html"

    def get(self, request):
        return self.show(request, OutcomeForm())

    def post(self, request):
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.record_outcome(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The result is recorded."))
                return redirect("reports:outcomes")
        return self.show(request, form, status=400)

    def show(self, request, form, status=200):
        outcomes = selectors.outcomes()[:200]
        return render(
            request, self.template_name, {"form": form, "outcomes": outcomes}, status=status
        )
