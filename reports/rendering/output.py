"""HTML and PDF of a report (WeasyPrint; it may fetch nothing from outside)."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from common.addresses import public_url

from .. import snapshot as s
from .sections import report_context


def render_print_html(content: s.Content, *, language: str) -> str:
    """The whole print document (cover, contents, body) in `language`."""
    with translation.override(language):
        context = report_context(content)
        context["language"] = language
        context["annex_links"] = annex_links(content, language=language)
        context["stylesheet"] = Path(finders.find("css/report-print.css")).read_text(
            encoding="utf-8"
        )
        return render_to_string("reports/print.html", context)


def annex_links(content: s.Content, *, language: str) -> list[dict]:
    """The web address of each annex file of this very version (not of the newest one), for
    a reader who holds the PDF or a print of it; none for content without a version number
    (a preview, or a report frozen before the number was kept)."""
    if content.annex is None or content.version is None:
        return []
    query = f"?gebied={content.area.slug}" if content.area else ""
    return [
        {
            "file": file,
            "url": public_url(
                reverse(
                    "reports:version_annex",
                    args=[content.year, language, content.version, file.name, file.format],
                )
                + query
            ),
        }
        for file in content.annex.files
    ]


def _refuse_fetch(url: str, *args, **kwargs):
    """WeasyPrint may not fetch anything: everything the report needs is inline."""
    raise ValueError(f"the report refers to an outside resource: {url}")


def render_pdf(content: s.Content, *, language: str) -> tuple[bytes, int]:
    """The report as a tagged PDF (title, language, headings); returns the bytes and page count."""
    # Imported here on purpose: WeasyPrint is large, and only the worker renders PDFs; the web
    # processes import this module for the HTML page and never pay for it.
    from weasyprint import HTML  # noqa: PLC0415 - heavy library, loaded only when used

    html = render_print_html(content, language=language)
    document = HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_refuse_fetch
    ).render()
    pdf = document.write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1")
    return pdf, len(document.pages)
